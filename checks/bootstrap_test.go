package checks

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBootstrap(t *testing.T) {
	good := map[string]string{
		"b-1.example.com:9096":                      "b-1.example.com:9096",
		" b-1:9092 , b-2:9092 ":                     "b-1:9092,b-2:9092",
		"[2001:db8::1]:9094":                        "[2001:db8::1]:9094",
		"10.0.0.1:1,10.0.0.1:65535":                 "10.0.0.1:1,10.0.0.1:65535",
		"B-1.Example.com:9096,b-2.example.com:9096": "B-1.Example.com:9096,b-2.example.com:9096",
	}
	for in, want := range good {
		hps, err := ParseBootstrap("-b", []string{in})
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		var got []string
		for _, hp := range hps {
			got = append(got, hp.String())
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%q = %v, want %s", in, got, want)
		}
	}
	bad := map[string]string{
		"":                  "empty entry",
		"broker":            "want host:port",
		"broker:":           "port must be a number",
		":9092":             "missing host",
		"broker:0":          "port must be a number",
		"broker:65536":      "port must be a number",
		"broker:-1":         "port must be a number",
		"broker:abc":        "port must be a number",
		"2001:db8::1:9092":  "IPv6 addresses need brackets",
		"b:1,,b:2":          "empty entry",
		"b:1,":              "empty entry",
		"b:1,b:1":           "listed twice",
		"b:1,B:1":           "listed twice",
		"SASL_SSL://b:9096": "drop the scheme",
		"b 1:9092":          "not a hostname",
		"user@b:9092":       "not a hostname",
		"[2001:db8::1]":     "want host:port",
		"b:9092:9093":       "IPv6 addresses need brackets",
	}
	for in, want := range bad {
		_, err := ParseBootstrap("-b", []string{in})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), want) || ie.Input != "-b" {
			t.Errorf("%q: error %v, want an InputError containing %q", in, err, want)
		}
	}
}

func FuzzParseBootstrap(f *testing.F) {
	for _, s := range []string{"b-1:9096", "[::1]:9092,b:1", "b:1,,", "SASL_SSL://x:1", "::1:9092", "b:65536", "\x00:1", "[fe80::1%eth0]:9092"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hps, err := ParseBootstrap("-b", []string{s})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("%q: error of type %T", s, err)
			}
			return
		}
		for _, hp := range hps {
			if hp.Port < 1 || hp.Port > 65535 || hp.Host == "" {
				t.Fatalf("%q parsed to %+v", s, hp)
			}
			again, err := ParseBootstrap("-b", []string{hp.String()})
			if err != nil || again[0] != hp {
				t.Fatalf("%q: %s does not round-trip: %v", s, hp, err)
			}
		}
	})
}
