package dev.jbuild.registry.internal;

import dev.jbuild.registry.CredentialSource;
import dev.jbuild.registry.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Challenge;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Answers registry auth challenges for one registry: remembers the scheme its {@code
 * WWW-Authenticate} asked for, attaches Basic credentials or a bearer token for the request's
 * scopes (cached per scope set until shortly before it expires), and on a 401 fetches a new
 * token for the challenge's scope and sends the request once more.
 *
 * <p>It runs as an application interceptor, so redirects that OkHttp follows to another host
 * never carry the {@code Authorization} header.
 */
public final class AuthInterceptor implements Interceptor {
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(15);

    private record BearerChallenge(String realm, String service) {
    }

    private final String registry;
    private final CredentialSource credentialSource;
    private final TokenClient tokens;
    private final Map<String, TokenClient.Token> tokenCache = new ConcurrentHashMap<>();
    private final Map<String, Object> fetchLocks = new ConcurrentHashMap<>();
    private volatile String scheme;
    private volatile BearerChallenge bearer;
    private volatile Optional<Credentials> credentials;

    public AuthInterceptor(String registry, CredentialSource credentialSource, TokenClient tokens) {
        this.registry = registry;
        this.credentialSource = credentialSource;
        this.tokens = tokens;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.header("Authorization") != null) {
            return chain.proceed(request);
        }
        List<String> scopes = scopesOf(request);
        String authorization = cachedAuthorization(scopes);
        Response response = chain.proceed(withAuthorization(request, authorization));
        if (response.code() != 401) {
            return response;
        }
        List<Challenge> challenges = response.challenges();
        Optional<Challenge> usable = challenges.stream()
                .filter(c -> c.scheme().equalsIgnoreCase("bearer") || c.scheme().equalsIgnoreCase("basic"))
                .findFirst();
        RequestBody body = request.body();
        if (usable.isEmpty() || body != null && body.isOneShot()) {
            if (usable.isPresent()) {
                learn(usable.get());
            }
            return response;
        }
        Challenge challenge = usable.get();
        learn(challenge);
        String fresh;
        if (challenge.scheme().equalsIgnoreCase("basic")) {
            fresh = basicAuthorization();
            if (fresh == null || fresh.equals(authorization)) {
                return response;
            }
        } else if (bearer == null) {
            return response;
        } else {
            Set<String> wanted = new LinkedHashSet<>(scopes);
            String challengeScope = challenge.authParams().get("scope");
            if (challengeScope != null && !challengeScope.isBlank()) {
                wanted.addAll(List.of(challengeScope.strip().split("\\s+")));
            }
            List<String> scopeList = new ArrayList<>(new TreeSet<>(wanted));
            TokenClient.Token token = token(scopeList, authorization);
            if (!scopeList.equals(scopes)) {
                tokenCache.put(cacheKey(scopes), token);
            }
            fresh = "Bearer " + token.value();
        }
        response.close();
        return chain.proceed(withAuthorization(request, fresh));
    }

    private static List<String> scopesOf(Request request) {
        Scopes scopes = request.tag(Scopes.class);
        return scopes == null ? List.of() : new ArrayList<>(new TreeSet<>(scopes.values()));
    }

    private String cachedAuthorization(List<String> scopes) throws IOException {
        String current = scheme;
        if (current == null) {
            return null;
        }
        if (current.equals("basic")) {
            return basicAuthorization();
        }
        if (bearer == null) {
            return null;
        }
        return "Bearer " + token(scopes, null).value();
    }

    /**
     * A token for the scopes: the cached one while it is fresh (and not the one just rejected),
     * else one fetched once however many requests ask at the same time.
     */
    private TokenClient.Token token(List<String> scopes, String rejected) throws IOException {
        String key = cacheKey(scopes);
        synchronized (fetchLocks.computeIfAbsent(key, k -> new Object())) {
            TokenClient.Token cached = tokenCache.get(key);
            if (cached != null && Instant.now().plus(EXPIRY_MARGIN).isBefore(cached.expiresAt())
                    && !("Bearer " + cached.value()).equals(rejected)) {
                return cached;
            }
            BearerChallenge known = bearer;
            TokenClient.Token fresh = tokens.fetch(known.realm(), known.service(), scopes, credentials());
            tokenCache.put(key, fresh);
            return fresh;
        }
    }

    private void learn(Challenge challenge) {
        String name = challenge.scheme().toLowerCase(Locale.ROOT);
        if (name.equals("bearer")) {
            String realm = challenge.authParams().get("realm");
            if (realm != null) {
                bearer = new BearerChallenge(realm, challenge.authParams().getOrDefault("service", ""));
            }
        }
        scheme = name;
    }

    private String basicAuthorization() throws IOException {
        Credentials c = credentials();
        if (c == null || c.username().isEmpty() && !c.hasIdentityToken()) {
            return null;
        }
        return okhttp3.Credentials.basic(c.username(), c.hasIdentityToken() ? c.identityToken() : c.secret(),
                StandardCharsets.UTF_8);
    }

    private Credentials credentials() throws IOException {
        Optional<Credentials> known = credentials;
        if (known == null) {
            known = credentialSource.credentialsFor(registry);
            credentials = known;
        }
        return known.orElse(null);
    }

    private static String cacheKey(List<String> scopes) {
        return String.join(" ", scopes);
    }

    private static Request withAuthorization(Request request, String authorization) {
        return authorization == null ? request : request.newBuilder().header("Authorization", authorization).build();
    }
}
