package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.Node;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * BuildKit's lint rules about one instruction's values: ARG and ENV keys that look like secrets
 * (SecretsUsedInArgOrEnv) and EXPOSE ports written with a host part (ExposeInvalidFormat) or an
 * upper-case protocol (ExposeProtoCasing).
 */
final class ValueLint {
    // A key is secret-looking when one of its _-separated words is a secret word, unless another says "public".
    private static final Pattern SECRET_WORD = Pattern.compile(
            "(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)");
    private static final Pattern ALLOWED_WORD = Pattern.compile("(?i)(?:_|^)public(?:_|$)");

    private final InstructionContext context;

    ValueLint(InstructionContext context) {
        this.context = context;
    }

    static boolean looksSecret(String key) {
        return !ALLOWED_WORD.matcher(key).find() && SECRET_WORD.matcher(key).find();
    }

    void secretKey(Node node, String instruction, String key) {
        if (looksSecret(key)) {
            context.warn(node, "SecretsUsedInArgOrEnv", "Do not use ARG or ENV instructions for sensitive data ("
                    + instruction + " \"" + key + "\")");
        }
    }

    void exposedPorts(Node node) {
        for (String port : node.args()) {
            if (port.contains(":")) {
                context.warn(node, "ExposeInvalidFormat",
                        "EXPOSE instruction should not define an IP address or host-port mapping, found '" + port + "'");
            }
            int slash = port.lastIndexOf('/');
            if (slash >= 0) {
                String protocol = port.substring(slash + 1);
                if (!protocol.equals(protocol.toLowerCase(Locale.ROOT))) {
                    context.warn(node, "ExposeProtoCasing",
                            "Defined protocol '" + port + "' in EXPOSE instruction should be lowercase");
                }
            }
        }
    }
}
