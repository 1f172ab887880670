package dev.jbuild.registry.internal;

import java.util.List;

/**
 * The token scopes a request needs, attached to it as an OkHttp tag so the auth interceptor can
 * ask for a token that covers them (for example pull on a mount's source repository as well).
 */
public record Scopes(List<String> values) {
    public Scopes {
        values = List.copyOf(values);
    }

    /** {@code repository:<name>:<actions>}. */
    public static String repository(String name, String actions) {
        return "repository:" + name + ":" + actions;
    }

    public static Scopes of(String... values) {
        return new Scopes(List.of(values));
    }
}
