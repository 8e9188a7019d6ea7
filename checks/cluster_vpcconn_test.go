package checks

import "testing"

// TestKafkaAtLeast: MSK's version strings against multi-VPC
// connectivity's 2.7.1 floor.
func TestKafkaAtLeast(t *testing.T) {
	for v, want := range map[string]bool{"2.7.1": true, "2.7.0": false, "2.6.2": false, "2.8.2.tiered": true, "3.9.x": true,
		"3.6.0.1": true, "1.1.1": false, "4.0.x.kraft": true, "2.7": false, "garbage": false} {
		if got := kafkaAtLeast(v, 2, 7, 1); got != want {
			t.Errorf("kafkaAtLeast(%q) = %v, want %v", v, got, want)
		}
	}
}
