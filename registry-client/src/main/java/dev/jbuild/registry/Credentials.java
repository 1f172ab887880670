package dev.jbuild.registry;

import java.util.Objects;

/**
 * What to log in to a registry with: a user name and password, or an identity token (an OAuth2
 * refresh token, which docker stores with the user name {@code <token>}).
 */
public record Credentials(String username, String secret, String identityToken) {
    /** The user name docker credential helpers use to mark the secret as an identity token. */
    public static final String TOKEN_USERNAME = "<token>";

    public Credentials {
        username = username == null ? "" : username;
        secret = secret == null ? "" : secret;
        identityToken = identityToken == null ? "" : identityToken;
        if (TOKEN_USERNAME.equals(username) && identityToken.isEmpty()) {
            identityToken = secret;
            secret = "";
        }
    }

    /** A user name and password. */
    public static Credentials basic(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return new Credentials(username, password, "");
    }

    /** True when this holds an identity (refresh) token rather than a password. */
    public boolean hasIdentityToken() {
        return !identityToken.isEmpty();
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", secret hidden]";
    }
}
