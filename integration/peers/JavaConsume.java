// Test peer: consume like a Lambda event source mapping, with the Java
// kafka-clients library (what Lambda's pollers run). Run by the integration
// tests only, never by esmdoctor.
//
// Usage: java -cp <kafka jars>:<classes> JavaConsume <client.properties> <topic> <timeout-ms>
// Prints "consumed: ..." or "failed: ..." on one line; exit code 0 either way.
import java.io.FileReader;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;

public class JavaConsume {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        try (FileReader r = new FileReader(args[0])) {
            props.load(r);
        }
        String topic = args[1];
        long deadline = System.currentTimeMillis() + Long.parseLong(args[2]);
        String outcome;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            c.subscribe(List.of(topic));
            while (c.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(300));
            }
            if (c.assignment().isEmpty()) {
                outcome = "failed: no partitions assigned before the timeout";
            } else {
                c.poll(Duration.ofMillis(500));
                outcome = "consumed: assigned " + c.assignment().size() + " partition(s)";
            }
        } catch (Exception e) {
            outcome = "failed: " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
        System.out.println(outcome);
        System.exit(0);
    }
}
