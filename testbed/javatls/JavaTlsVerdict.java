// JavaTlsVerdict: how Kafka's Java client (what Lambda's pollers run) judges a TLS
// server. For each case it builds kafka-clients' DefaultSslEngineFactory as a consumer
// would (PEM truststore, ssl.endpoint.identification.algorithm=https, every other SSL
// setting at its default), creates the client SSLEngine for host:port and completes the
// handshake. One JVM for every case: read from the file named by args[0], one case per
// line "name<TAB>host<TAB>port<TAB>truststore.pem or ->", and print one line per case:
// "name<TAB>ok" or "name<TAB>fail<TAB>ExceptionClass: message".
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

public class JavaTlsVerdict {
    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Paths.get(args[0]));
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            String verdict;
            try {
                handshake(f[1], Integer.parseInt(f[2]), f[3]);
                verdict = "ok";
            } catch (Exception e) {
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) root = root.getCause();
                verdict = "fail\t" + oneLine(e) + " | cause " + oneLine(root);
            }
            System.out.println(f[0] + "\t" + verdict);
            System.out.flush();
        }
    }

    static String oneLine(Throwable t) {
        return (t.getClass().getName() + ": " + t.getMessage()).replace('\n', ' ').replace('\t', ' ');
    }

    // factory configures DefaultSslEngineFactory exactly as a consumer's config would.
    static DefaultSslEngineFactory factory(String truststore) {
        Map<String, Object> props = new HashMap<>();
        if (!truststore.equals("-")) {
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore);
        }
        props.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https");
        Map<String, Object> parsed = new ConfigDef().withClientSslSupport().parse(props);
        DefaultSslEngineFactory factory = new DefaultSslEngineFactory();
        factory.configure(parsed);
        return factory;
    }

    static void handshake(String host, int port, String truststore) throws Exception {
        DefaultSslEngineFactory factory = factory(truststore);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(5000);
            SSLEngine engine = factory.createClientSslEngine(host, port, "https");
            drive(engine, s.getInputStream(), s.getOutputStream());
        } finally {
            factory.close();
        }
    }

    // drive runs the handshake over a blocking socket until it finishes or fails.
    static void drive(SSLEngine engine, InputStream in, OutputStream out) throws Exception {
        int size = engine.getSession().getPacketBufferSize();
        ByteBuffer netIn = ByteBuffer.allocate(size), netOut = ByteBuffer.allocate(size);
        ByteBuffer appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() + 64);
        ByteBuffer empty = ByteBuffer.allocate(0);
        engine.beginHandshake();
        HandshakeStatus hs = engine.getHandshakeStatus();
        while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
            switch (hs) {
                case NEED_WRAP: {
                    netOut.clear();
                    SSLEngineResult r = engine.wrap(empty, netOut);
                    out.write(netOut.array(), 0, netOut.position());
                    out.flush();
                    hs = r.getHandshakeStatus();
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("engine closed while wrapping");
                    break;
                }
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN: {
                    netIn.flip();
                    SSLEngineResult r = engine.unwrap(netIn, appIn);
                    netIn.compact();
                    hs = r.getHandshakeStatus();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                        if (n < 0) throw new SSLException("server closed the connection during the handshake");
                        netIn.position(netIn.position() + n);
                    } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("engine closed while unwrapping");
                    }
                    break;
                }
                case NEED_TASK: {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) task.run();
                    hs = engine.getHandshakeStatus();
                    break;
                }
                default:
                    throw new IllegalStateException("unexpected handshake status " + hs);
            }
        }
    }
}
