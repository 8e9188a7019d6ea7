// Test peer: consume like a Queue-mode (ConsumptionMode Queue) Lambda event
// source mapping, with kafka-clients' KafkaShareConsumer (a Kafka share
// group, KIP-932). Run by the integration tests only, never by esmdoctor.
//
// Usage: java -cp <kafka 4 jars>:<classes> JavaShareConsume <client.properties> <topic> <timeout-ms> [<admin bootstrap>]
// With an admin bootstrap (a PLAINTEXT listener whose ANONYMOUS is a super
// user), the group's share.auto.offset.reset is first set to earliest, so
// the records already in the topic are delivered.
// Prints "consumed: N record(s)", "joined: no record" or "failed: <exception>: <message>"
// on one line; exit code 0 either way.
import java.io.FileReader;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;

public class JavaShareConsume {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        try (FileReader r = new FileReader(args[0])) {
            props.load(r);
        }
        String topic = args[1];
        long deadline = System.currentTimeMillis() + Long.parseLong(args[2]);
        String outcome;
        try {
            if (args.length > 3) {
                earliest(args[3], props.getProperty("group.id"));
            }
            outcome = consume(props, topic, deadline);
        } catch (Exception e) {
            Throwable c = e.getCause() != null && e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            outcome = "failed: " + c.getClass().getSimpleName() + ": " + String.valueOf(c.getMessage()).replace('\n', ' ');
        }
        System.out.println(outcome);
        System.exit(0);
    }

    // consume polls until a record arrives or the deadline passes; an
    // error of the share group (authorization, version) is thrown by poll.
    static String consume(Properties props, String topic, long deadline) {
        int n = 0;
        try (KafkaShareConsumer<byte[], byte[]> c = new KafkaShareConsumer<>(props)) {
            c.subscribe(List.of(topic));
            while (n == 0 && System.currentTimeMillis() < deadline) {
                ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(500));
                n += rs.count();
            }
            if (n > 0) {
                c.commitSync();
            }
        }
        return n > 0 ? "consumed: " + n + " record(s)" : "joined: no record";
    }

    // earliest sets the share group's share.auto.offset.reset to earliest.
    static void earliest(String bootstrap, String group) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin a = Admin.create(p)) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.GROUP, group);
            Collection<AlterConfigOp> ops = List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET));
            a.incrementalAlterConfigs(Map.of(r, ops)).all().get();
        }
    }
}
