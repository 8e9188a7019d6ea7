package esmdoctor.testbed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.security.oauthbearer.OAuthBearerExtensionsValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler;

/**
 * Kafka's JWT validator (OAuthBearerValidatorCallbackHandler, unchanged) plus SASL extensions the
 * client must send, as a Confluent Cloud listener requires logicalCluster and identityPoolId. The
 * stock handler accepts any extension and requires none. Each JAAS option
 * {@code requiredExtension_<name>="<value>"} requires extension {@code <name>} with that value; a
 * missing or different one is reported invalid, which OAuthBearerSaslServer turns into a
 * SaslAuthenticationException ("extensions are invalid"): SaslAuthenticate error 58.
 */
public class RequireExtensionsValidatorCallbackHandler extends OAuthBearerValidatorCallbackHandler {
    private static final String PREFIX = "requiredExtension_";
    private final Map<String, String> required = new HashMap<>();

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        super.configure(configs, saslMechanism, jaasConfigEntries);
        for (AppConfigurationEntry entry : jaasConfigEntries) {
            for (Map.Entry<String, ?> option : entry.getOptions().entrySet()) {
                if (option.getKey().startsWith(PREFIX)) {
                    required.put(option.getKey().substring(PREFIX.length()), String.valueOf(option.getValue()));
                }
            }
        }
    }

    @Override
    public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        List<Callback> rest = new ArrayList<>();
        for (Callback callback : callbacks) {
            if (callback instanceof OAuthBearerExtensionsValidatorCallback) {
                validate((OAuthBearerExtensionsValidatorCallback) callback);
            } else {
                rest.add(callback);
            }
        }
        if (!rest.isEmpty()) {
            super.handle(rest.toArray(new Callback[0]));
        }
    }

    private void validate(OAuthBearerExtensionsValidatorCallback callback) {
        Map<String, String> sent = callback.inputExtensions().map();
        for (Map.Entry<String, String> want : required.entrySet()) {
            String got = sent.get(want.getKey());
            if (got == null) {
                callback.error(want.getKey(), "required extension missing");
            } else if (!got.equals(want.getValue())) {
                callback.error(want.getKey(), "unexpected value");
            } else {
                callback.valid(want.getKey());
            }
        }
        for (String name : sent.keySet()) {
            if (!required.containsKey(name)) {
                callback.valid(name);
            }
        }
    }
}
