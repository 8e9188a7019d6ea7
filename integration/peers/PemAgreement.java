// Test peer: load mTLS secrets the way a Lambda poller's Kafka client does,
// and when one loads, complete a TLS handshake with it against a broker-side
// factory that requires client certificates. Run by the integration tests
// only (TestPEMAgreement), never by esmdoctor.
//
// Usage: java -cp <kafka jars>:<classes> PemAgreement <cases dir>
//
// <cases dir>/server/ holds the broker side: chain.pem, key.pem (unencrypted)
// and trust.pem (the CAs the broker trusts for client certificates, also the
// CA the client trusts for the broker). Every other directory is one case:
// cert.pem (the secret's "certificate"), key.pem ("privateKey") and, when the
// secret has a "privateKeyPassword", password (its exact bytes, UTF-8).
//
// The secret's values go through ConfigDef.parse, as a Properties-configured
// client's do (Kafka trims string and password values), then into
// DefaultSslEngineFactory with ssl.keystore.type=PEM. One line per case:
//   <case> ok
//   <case> load-failed <exception chain>
//   <case> handshake-failed <client|broker>: <exception chain>
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

public class PemAgreement {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        DefaultSslEngineFactory server = serverFactory(dir.resolve("server"));
        String trust = read(dir.resolve("server/trust.pem"));
        List<Path> cases;
        try (Stream<Path> s = Files.list(dir)) {
            cases = s.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().equals("server"))
                .sorted().collect(Collectors.toList());
        }
        for (Path c : cases) {
            System.out.println(c.getFileName() + " " + verdict(c, trust, server));
        }
        System.out.flush();
        System.exit(0);
    }

    static String verdict(Path c, String trust, DefaultSslEngineFactory server) {
        DefaultSslEngineFactory client;
        try {
            Map<String, String> props = new HashMap<>();
            props.put("ssl.keystore.type", "PEM");
            props.put("ssl.keystore.certificate.chain", read(c.resolve("cert.pem")));
            props.put("ssl.keystore.key", read(c.resolve("key.pem")));
            if (Files.exists(c.resolve("password"))) {
                props.put("ssl.key.password", read(c.resolve("password")));
            }
            props.put("ssl.truststore.type", "PEM");
            props.put("ssl.truststore.certificates", trust);
            client = configure(props, null);
        } catch (Throwable e) {
            return "load-failed " + chain(e);
        }
        try {
            return handshake(client.createClientSslEngine("localhost", 9094, "https"),
                server.createServerSslEngine("localhost", 9094));
        } catch (Throwable e) {
            return "handshake-failed client: " + chain(e);
        }
    }

    static DefaultSslEngineFactory serverFactory(Path d) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("ssl.keystore.type", "PEM");
        props.put("ssl.keystore.certificate.chain", read(d.resolve("chain.pem")));
        props.put("ssl.keystore.key", read(d.resolve("key.pem")));
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.certificates", read(d.resolve("trust.pem")));
        return configure(props, "required");
    }

    // configure parses the values as a client configuration does (defaults
    // filled in, strings trimmed, passwords wrapped) and builds the factory.
    static DefaultSslEngineFactory configure(Map<String, String> props, String clientAuth) {
        Map<String, Object> parsed = new HashMap<>(new ConfigDef().withClientSslSupport().parse(props));
        if (clientAuth != null) {
            parsed.put("ssl.client.auth", clientAuth);
        }
        DefaultSslEngineFactory f = new DefaultSslEngineFactory();
        f.configure(parsed);
        return f;
    }

    // handshake runs client and broker engines against each other in memory
    // until each side has received the other's application data.
    static String handshake(SSLEngine client, SSLEngine server) throws Exception {
        int net = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
        ByteBuffer cOut = ByteBuffer.wrap("from-client".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer sOut = ByteBuffer.wrap("from-broker".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer cToS = ByteBuffer.allocate(4 * net), sToC = ByteBuffer.allocate(4 * net);
        ByteBuffer cIn = ByteBuffer.allocate(app + 64), sIn = ByteBuffer.allocate(app + 64);
        for (int i = 0; i < 400; i++) {
            run(client, client.wrap(cOut, cToS));
            try {
                run(server, server.wrap(sOut, sToC));
            } catch (Exception e) {
                return "handshake-failed broker: " + chain(e);
            }
            cToS.flip();
            sToC.flip();
            try {
                run(server, server.unwrap(cToS, sIn));
            } catch (Exception e) {
                return "handshake-failed broker: " + chain(e);
            }
            try {
                run(client, client.unwrap(sToC, cIn));
            } catch (Exception e) {
                return "handshake-failed client: " + chain(e);
            }
            cToS.compact();
            sToC.compact();
            if (sIn.position() == cOut.limit() && cIn.position() == sOut.limit()) {
                return "ok";
            }
        }
        return "handshake-failed stalled: no application data after 400 rounds";
    }

    static void run(SSLEngine e, SSLEngineResult r) {
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            Runnable t;
            while ((t = e.getDelegatedTask()) != null) {
                t.run();
            }
        }
    }

    static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (b.length() > 0) {
                b.append(" <- ");
            }
            b.append(t.getClass().getSimpleName()).append(": ").append(String.valueOf(t.getMessage()));
        }
        return b.toString().replace('\n', ' ').replace('\r', ' ');
    }

    static String read(Path p) throws Exception {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
