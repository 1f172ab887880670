package dev.jbuild.dockerfile.internal;

import java.util.regex.Pattern;

/**
 * Whether a FROM value is an image reference the registry grammar accepts
 * ({@code [domain[:port]/]path[:tag][@digest]}, lower-case path, at most 255 characters of name).
 * The parser only needs a yes or no for lint, so it keeps no parts.
 */
final class ImageReferences {
    private static final int MAX_NAME_LENGTH = 255;
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "(?::[0-9]+)?|\\[[a-fA-F0-9:]+\\](?::[0-9]+)?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile(
            "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");

    private ImageReferences() {
    }

    static boolean isValid(String reference) {
        String rest = reference;
        int at = rest.indexOf('@');
        if (at >= 0) {
            if (!DIGEST.matcher(rest.substring(at + 1)).matches()) {
                return false;
            }
            rest = rest.substring(0, at);
        }
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            if (!TAG.matcher(rest.substring(colon + 1)).matches()) {
                return false;
            }
            rest = rest.substring(0, colon);
        }
        return !rest.isEmpty() && rest.length() <= MAX_NAME_LENGTH && isName(rest);
    }

    // The first component is a registry only when it looks like a host: a dot, a port or localhost.
    private static boolean isName(String name) {
        String[] components = name.split("/", -1);
        int first = 0;
        String head = components[0];
        if (components.length > 1 && (head.contains(".") || head.contains(":") || head.equals("localhost")
                || head.startsWith("["))) {
            if (!DOMAIN.matcher(head).matches()) {
                return false;
            }
            first = 1;
        }
        for (int i = first; i < components.length; i++) {
            if (!PATH_COMPONENT.matcher(components[i]).matches()) {
                return false;
            }
        }
        return true;
    }
}
