package dev.jbuild.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.registry.Credentials;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Call;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Fetches bearer tokens from a token server (distribution's token spec): a GET with Basic
 * credentials or anonymous, or an OAuth2 POST with a refresh (identity) token, falling back to
 * GET when the server has no OAuth2 endpoint.
 */
public final class TokenClient {
    /** A bearer token and when to stop using it. */
    public record Token(String value, Instant expiresAt) {
    }

    private static final Duration MIN_LIFETIME = Duration.ofSeconds(60);

    private final Call.Factory client;
    private final String registry;

    public TokenClient(Call.Factory client, String registry) {
        this.client = client;
        this.registry = registry;
    }

    /** A token for {@code scopes} from the challenge's realm and service. */
    public Token fetch(String realm, String service, List<String> scopes, Credentials credentials) throws IOException {
        HttpUrl realmUrl = HttpUrl.parse(realm);
        if (realmUrl == null) {
            throw new RegistryException(registry, "", "authenticate", 0, "", "the token realm \"" + realm
                    + "\" is not an http(s) URL", false, null);
        }
        if (credentials != null && credentials.hasIdentityToken()) {
            FormBody.Builder form = new FormBody.Builder()
                    .add("grant_type", "refresh_token")
                    .add("refresh_token", credentials.identityToken())
                    .add("client_id", "jbuild");
            if (service != null && !service.isEmpty()) {
                form.add("service", service);
            }
            if (!scopes.isEmpty()) {
                form.add("scope", String.join(" ", scopes));
            }
            Request post = new Request.Builder().url(realmUrl).post(form.build()).build();
            try (Response response = client.newCall(post).execute()) {
                if (response.code() != 404 && response.code() != 405) {
                    return parse(response, "OAuth2 token (refresh token)");
                }
            }
        }
        HttpUrl.Builder url = realmUrl.newBuilder();
        if (service != null && !service.isEmpty()) {
            url.addQueryParameter("service", service);
        }
        for (String scope : scopes) {
            url.addQueryParameter("scope", scope);
        }
        Request.Builder get = new Request.Builder().url(url.build());
        if (credentials != null && !credentials.username().isEmpty() && !credentials.hasIdentityToken()) {
            get.header("Authorization", okhttp3.Credentials.basic(credentials.username(), credentials.secret(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        try (Response response = client.newCall(get.build()).execute()) {
            return parse(response, "token");
        }
    }

    private Token parse(Response response, String what) throws IOException {
        if (!response.isSuccessful()) {
            String scopeHint = response.code() == 401 ? "the credentials were rejected" : "";
            RegistryException failure = ErrorResponses.toException(response, registry, "", "fetch " + what);
            if (scopeHint.isEmpty()) {
                throw failure;
            }
            throw new RegistryException(registry, "", "fetch " + what, failure.status(), "UNAUTHORIZED",
                    scopeHint, false, failure);
        }
        JsonNode json = Json.read(response.body().bytes(), "the token server's answer");
        String token = json.path("token").asText("");
        if (token.isEmpty()) {
            token = json.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new RegistryException(registry, "", "fetch " + what, response.code(), "",
                    "the token server's answer has neither token nor access_token", false, null);
        }
        Duration lifetime = Duration.ofSeconds(json.path("expires_in").asLong(60));
        if (lifetime.compareTo(MIN_LIFETIME) < 0) {
            lifetime = MIN_LIFETIME;
        }
        Instant issued = Instant.now();
        return new Token(token, issued.plus(lifetime));
    }
}
