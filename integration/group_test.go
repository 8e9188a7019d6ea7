package integration

import (
	"testing"
	"time"

	"github.com/IBM/sarama"
)

// groupSettleTimeout bounds how long a test waits for the previous
// client's group membership to end (a departed member is removed at once;
// one that vanished is removed after its session timeout).
const groupSettleTimeout = 20 * time.Second

// waitGroupEmpty waits until the consumer group has no members, so one
// client's run never starts in the middle of the previous client's
// rebalance. It reads the group as the test bed's admin (read-only).
func waitGroupEmpty(t *testing.T, b bed, group string) {
	t.Helper()
	admin, err := sarama.NewClusterAdmin([]string{b.Get("ADMIN")}, b.adminConfig())
	if err != nil {
		t.Fatalf("admin client: %v", err)
	}
	defer admin.Close()
	deadline := time.Now().Add(groupSettleTimeout)
	for {
		groups, err := admin.DescribeConsumerGroups([]string{group})
		if err == nil && len(groups) == 1 && len(groups[0].Members) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("group %s still has members after %s (err %v)", group, groupSettleTimeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
