package jvmtls

import "testing"

// TestMatchName pins HostnameChecker's TLS matching, wildcards included.
func TestMatchName(t *testing.T) {
	cases := []struct {
		host, template string
		public, want   bool
	}{
		{"kafka.example.com", "kafka.example.com", false, true},
		{"KAFKA.example.com", "kafka.EXAMPLE.com", false, true},
		{"kafka.example.com", "*.example.com", false, true},
		{"kafka-1.example.com", "kafka-*.example.com", false, true},
		{"kafka-1.example.com", "*-*.example.com", false, true},
		{"kafka.example.com", "k*a.example.com", false, true},
		{"kafka.example.com", "kafka.*.com", false, true},
		{"a.kafka.example.com", "*.example.com", false, false},
		{"example.com", "*.example.com", false, false},
		{"kafka.example.com", "*", false, false},
		{"kafka.example.com", "kafka.example.*", false, false},   // nothing after the wildcard
		{"kafka.example.com", "kafka.example.co*", false, false}, // no dot after the wildcard
		{"example.com", "*.com", false, true},                    // a private root may
		{"example.com", "*.com", true, false},                    // a public root may not
		{"example.co.uk", "*.co.uk", true, false},
		{"kafka.example.co.uk", "*.example.co.uk", true, true},
	}
	for _, c := range cases {
		if got := matchName(c.host, c.template, c.public); got != c.want {
			t.Errorf("%s against %s (public root %v): %v, want %v", c.host, c.template, c.public, got, c.want)
		}
	}
}
