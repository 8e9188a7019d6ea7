// JavaTlsServer: TLS servers Go's crypto/tls cannot be (DHE-only suites, a DSA key, an
// RSASSA-PSS key, CBC-SHA384-only suites), for the TLS agreement test. args[0] names a
// file with one server per line: "name<TAB>keystore.p12<TAB>protocols<TAB>suites"
// (comma-separated; "-" keeps the defaults; the PKCS12 store's password is "changeit").
// Each server listens on 127.0.0.1 and prints "name<TAB>port"; after the handshake it
// answers one Kafka-framed request with a small frame (esmdoctor sends ApiVersions).
// "ready" follows the last server; the process runs until its standard input closes.
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

public class JavaTlsServer {
    public static void main(String[] args) throws Exception {
        for (String line : Files.readAllLines(Paths.get(args[0]))) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            SSLServerSocket ss = server(f[1], f[2], f[3]);
            System.out.println(f[0] + "\t" + ss.getLocalPort());
            Thread t = new Thread(() -> serve(ss));
            t.setDaemon(true);
            t.start();
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) { }
    }

    static SSLServerSocket server(String keystore, String protocols, String suites) throws Exception {
        char[] pass = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore)) { ks.load(in, pass); }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, pass);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        if (!protocols.equals("-")) ss.setEnabledProtocols(protocols.split(","));
        if (!suites.equals("-")) ss.setEnabledCipherSuites(suites.split(","));
        return ss;
    }

    static void serve(SSLServerSocket ss) {
        while (true) {
            try {
                SSLSocket s = (SSLSocket) ss.accept();
                Thread t = new Thread(() -> answer(s));
                t.setDaemon(true);
                t.start();
            } catch (Exception e) {
                return;
            }
        }
    }

    static void answer(SSLSocket s) {
        try (s) {
            s.setSoTimeout(10000);
            s.startHandshake();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int n = in.readInt();
            in.readNBytes(Math.min(n, 1 << 20));
            s.getOutputStream().write(new byte[] {0, 0, 0, 6, 0, 0, 0, 1, 0, 0});
            s.getOutputStream().flush();
        } catch (Exception e) {
            // the client went away or refused the server: nothing to answer
        }
    }
}
