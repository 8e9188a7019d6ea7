package esmdoctor.testbed;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerExtensionsValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-bed stand-in for Amazon MSK's IAM authentication: validates, on an OAUTHBEARER listener,
 * the token that aws-msk-iam-sasl-signer-go (and the Java/Python signers) produce: base64url
 * (no padding) of a SigV4-presigned URL
 * {@code https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-...}
 * signed for service {@code kafka-cluster}, payload hash SHA-256(""), signed header {@code host};
 * a {@code User-Agent} query parameter is appended after signing and is not signed.
 *
 * <p>JAAS options (listener.name.iam.oauthbearer.sasl.jaas.config):
 * <ul>
 *   <li>{@code region="us-east-1"}: the only region accepted (host and credential scope)</li>
 *   <li>{@code secret_<ACCESS_KEY_ID>="<secret access key>"}: known keys</li>
 *   <li>{@code principal_<ACCESS_KEY_ID>="<name>"}: principal (User:name) for that key</li>
 *   <li>{@code clockSkewSeconds="300"}: how far X-Amz-Date may lie in the future</li>
 * </ul>
 *
 * <p>Any failure throws {@link SaslAuthenticationException}; Kafka sends it to the client as
 * SaslAuthenticate error 58 (SASL_AUTHENTICATION_FAILED) with the message, as MSK does.
 */
public class MskIamServerCallbackHandler implements AuthenticateCallbackHandler {
    private static final Logger log = LoggerFactory.getLogger(MskIamServerCallbackHandler.class);
    private static final String SERVICE = "kafka-cluster";
    private static final String ACTION = "kafka-cluster:Connect";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private String region;
    private long skewMs = 300_000L;
    private final Map<String, String> secrets = new HashMap<>();
    private final Map<String, String> principals = new HashMap<>();

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        if (!"OAUTHBEARER".equals(saslMechanism))
            throw new IllegalArgumentException("MskIamServerCallbackHandler only handles OAUTHBEARER, not " + saslMechanism);
        for (AppConfigurationEntry entry : jaasConfigEntries) {
            for (Map.Entry<String, ?> opt : entry.getOptions().entrySet()) {
                String k = opt.getKey();
                String v = String.valueOf(opt.getValue());
                if (k.equals("region")) region = v;
                else if (k.equals("clockSkewSeconds")) skewMs = Long.parseLong(v) * 1000L;
                else if (k.startsWith("secret_")) secrets.put(k.substring("secret_".length()), v);
                else if (k.startsWith("principal_")) principals.put(k.substring("principal_".length()), v);
            }
        }
        if (region == null || region.isEmpty())
            throw new IllegalArgumentException("MskIamServerCallbackHandler: JAAS option region is required");
        log.info("MSK IAM token validator: region {}, {} access key(s)", region, secrets.size());
    }

    @Override
    public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        for (Callback cb : callbacks) {
            if (cb instanceof OAuthBearerValidatorCallback) {
                OAuthBearerValidatorCallback v = (OAuthBearerValidatorCallback) cb;
                try {
                    v.token(validate(v.tokenValue(), System.currentTimeMillis()));
                } catch (Reject r) {
                    log.info("MSK IAM token rejected: {}", r.getMessage());
                    throw new SaslAuthenticationException("Access denied: " + r.getMessage());
                }
            } else if (cb instanceof OAuthBearerExtensionsValidatorCallback) {
                // SASL extensions carry nothing for MSK IAM: accept none, reject none.
            } else {
                throw new UnsupportedCallbackException(cb);
            }
        }
    }

    @Override
    public void close() {
    }

    private static final class Reject extends Exception {
        Reject(String m) {
            super(m);
        }
    }

    OAuthBearerToken validate(String token, long nowMs) throws Reject {
        String url;
        try {
            url = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Reject("token is not base64url");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new Reject("token is not a URL");
        }
        String host = "kafka." + region + ".amazonaws.com";
        if (!"https".equals(uri.getScheme()) || uri.getRawQuery() == null)
            throw new Reject("token is not a presigned https URL");
        if (!host.equals(uri.getHost()))
            throw new Reject("token host " + uri.getHost() + " is not " + host);
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
            throw new Reject("token path must be /");

        // Decode the query; keep every parameter but the signature and the unsigned User-Agent.
        Map<String, String> p = new HashMap<>();
        List<String[]> signed = new ArrayList<>();
        for (String pair : uri.getRawQuery().split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (p.put(k, v) != null) throw new Reject("duplicate query parameter " + k);
            if (!k.equals("X-Amz-Signature") && !k.equals("User-Agent"))
                signed.add(new String[] {uriEncode(k), uriEncode(v)});
        }
        for (String req : new String[] {"Action", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
                "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"})
            if (!p.containsKey(req)) throw new Reject("missing query parameter " + req);
        if (!ACTION.equals(p.get("Action")))
            throw new Reject("Action is " + p.get("Action") + ", want " + ACTION);
        if (!"AWS4-HMAC-SHA256".equals(p.get("X-Amz-Algorithm")))
            throw new Reject("unsupported algorithm " + p.get("X-Amz-Algorithm"));
        if (!"host".equals(p.get("X-Amz-SignedHeaders")))
            throw new Reject("signed headers must be host");

        String[] cred = p.get("X-Amz-Credential").split("/");
        if (cred.length != 5 || !"aws4_request".equals(cred[4]))
            throw new Reject("malformed X-Amz-Credential");
        String akid = cred[0], credDate = cred[1], credRegion = cred[2], credService = cred[3];
        if (!region.equals(credRegion))
            throw new Reject("credential scope region " + credRegion + " is not " + region);
        if (!SERVICE.equals(credService))
            throw new Reject("credential scope service " + credService + " is not " + SERVICE);

        String amzDate = p.get("X-Amz-Date");
        long signedAtMs;
        long expiresS;
        try {
            signedAtMs = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC).toEpochMilli();
            expiresS = Long.parseLong(p.get("X-Amz-Expires"));
        } catch (Exception e) {
            throw new Reject("malformed X-Amz-Date or X-Amz-Expires");
        }
        if (!amzDate.startsWith(credDate))
            throw new Reject("credential scope date " + credDate + " does not match X-Amz-Date " + amzDate);
        if (expiresS <= 0 || expiresS > 604800)
            throw new Reject("X-Amz-Expires out of range: " + expiresS);
        long expiresAtMs = signedAtMs + expiresS * 1000L;
        if (nowMs > expiresAtMs)
            throw new Reject("token expired at " + Instant.ofEpochMilli(expiresAtMs));
        if (signedAtMs > nowMs + skewMs)
            throw new Reject("token signed in the future (" + amzDate + ")");

        String secret = secrets.get(akid);
        if (secret == null)
            throw new Reject("unknown access key id " + akid);

        signed.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder cq = new StringBuilder();
        for (String[] kv : signed) {
            if (cq.length() > 0) cq.append('&');
            cq.append(kv[0]).append('=').append(kv[1]);
        }
        String canonicalRequest = "GET\n/\n" + cq + "\nhost:" + host + "\n\nhost\n" + EMPTY_SHA256;
        String scope = credDate + "/" + credRegion + "/" + credService + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest));
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), credDate);
        k = hmac(k, credRegion);
        k = hmac(k, credService);
        k = hmac(k, "aws4_request");
        String want = hex(hmac(k, stringToSign));
        if (!MessageDigest.isEqual(want.getBytes(StandardCharsets.US_ASCII),
                p.get("X-Amz-Signature").getBytes(StandardCharsets.US_ASCII)))
            throw new Reject("signature mismatch for access key id " + akid);

        String principal = principals.getOrDefault(akid, akid);
        log.info("MSK IAM token accepted: access key {} -> User:{}", akid, principal);
        return new Token(token, principal, signedAtMs, expiresAtMs);
    }

    /** AWS SigV4 URI encoding: unreserved characters kept, everything else %XX (upper case). */
    static String uriEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') b.append((char) c);
            else b.append(String.format("%%%02X", c & 0xff));
        }
        return b.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x & 0xff));
        return s.toString();
    }

    private static final class Token implements OAuthBearerToken {
        private final String value, principal;
        private final long start, lifetime;

        Token(String value, String principal, long start, long lifetime) {
            this.value = value;
            this.principal = principal;
            this.start = start;
            this.lifetime = lifetime;
        }

        @Override
        public String value() {
            return value;
        }

        @Override
        public Set<String> scope() {
            return Collections.emptySet();
        }

        @Override
        public long lifetimeMs() {
            return lifetime;
        }

        @Override
        public String principalName() {
            return principal;
        }

        @Override
        public Long startTimeMs() {
            return start;
        }
    }
}
