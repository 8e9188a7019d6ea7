// Test peer: consume like a Lambda event source mapping with OAUTHBEARER_AUTH,
// with the Java kafka-clients library (what Lambda's pollers run) and its own
// OAuth client-credentials login (OAuthBearerLoginCallbackHandler). One JVM
// runs every case. Run by the integration tests only, never by esmdoctor.
//
// Usage: java -cp <kafka jars>:<classes> JavaOAuthConsume <timeout-ms> <topic> <name>=<client.properties>...
// Prints "<name>\tconsumed: ..." or "<name>\tfailed: ..." per case; exit code 0.
import java.io.FileReader;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;

public class JavaOAuthConsume {
    public static void main(String[] args) throws Exception {
        long timeout = Long.parseLong(args[0]);
        String topic = args[1];
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            System.out.println(kv[0] + "\t" + consume(kv[1], topic, timeout));
        }
        System.exit(0);
    }

    private static String consume(String propsFile, String topic, long timeout) {
        Properties props = new Properties();
        try (FileReader r = new FileReader(propsFile)) {
            props.load(r);
        } catch (Exception e) {
            return "failed: cannot read " + propsFile;
        }
        long deadline = System.currentTimeMillis() + timeout;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            c.subscribe(List.of(topic));
            while (c.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(300));
            }
            if (c.assignment().isEmpty()) {
                return "failed: no partitions assigned before the timeout";
            }
            c.poll(Duration.ofMillis(300));
            return "consumed: assigned " + c.assignment().size() + " partition(s)";
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            // The innermost message, without the class names Kafka prefixes to it.
            String msg = String.valueOf(root.getMessage()).replaceAll("\\s+", " ")
                    .replaceAll("(?:[a-zA-Z_$][\\w$]*\\.)+[\\w$]*(?:Exception|Error): ", "");
            if (msg.length() > 200) {
                msg = msg.substring(0, 200) + "...";
            }
            return "failed: " + e.getClass().getSimpleName() + " (" + root.getClass().getSimpleName() + ": " + msg + ")";
        }
    }
}
