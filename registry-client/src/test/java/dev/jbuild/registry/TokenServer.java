package dev.jbuild.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small token server for distribution's token auth: RS256 JWTs with the signing certificate in
 * {@code x5c}, granting anonymous callers pull only and {@code user}/{@code password} everything;
 * a POST with {@code grant_type=refresh_token} and the right refresh token counts as the user.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "local-registry";
    static final String ISSUER = "local-token-issuer";

    private final HttpServer server;
    private final TestPki pki;
    private final String user;
    private final String password;
    private final String refreshToken;
    final List<String> requests = new CopyOnWriteArrayList<>();

    TokenServer(TestPki pki, String user, String password, String refreshToken) throws IOException {
        this(pki, user, password, refreshToken, null);
    }

    /** A token server on HTTPS with {@code tls}'s key and certificate, or on plain HTTP when it is null. */
    TokenServer(TestPki pki, String user, String password, String refreshToken, TestPki tls) throws IOException {
        this.pki = pki;
        this.user = user;
        this.password = password;
        this.refreshToken = refreshToken;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            this.server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(serverContext(tls)));
            this.server = https;
        }
        server.createContext("/token", this::handle);
        server.start();
    }

    private static SSLContext serverContext(TestPki tls) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("token-server", tls.keys().getPrivate(), password,
                    new java.security.cert.Certificate[] {tls.certificate()});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    String realm() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort()
                + "/token";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            boolean authenticated = false;
            if (exchange.getRequestMethod().equals("POST")) {
                query = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                authenticated = ("&" + query + "&").contains("&refresh_token=" + refreshToken + "&");
            } else {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                String expected = "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
                if (authorization != null && !authorization.equals(expected)) {
                    exchange.sendResponseHeaders(401, -1);
                    requests.add(exchange.getRequestMethod() + " rejected");
                    return;
                }
                authenticated = authorization != null;
            }
            requests.add(exchange.getRequestMethod() + (authenticated ? " user " : " anonymous ") + query);
            List<String> scopes = new ArrayList<>();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                if (pair.startsWith("scope=")) {
                    for (String scope : URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8).split(" ")) {
                        scopes.add(scope);
                    }
                }
            }
            String token = sign(scopes, authenticated);
            byte[] body = ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private String sign(List<String> scopes, boolean authenticated) throws GeneralSecurityException {
        StringBuilder access = new StringBuilder();
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length != 3 || !parts[0].equals("repository")) {
                continue;
            }
            List<String> granted = new ArrayList<>();
            for (String action : parts[2].split(",")) {
                if (authenticated || action.equals("pull")) {
                    granted.add("\"" + action + "\"");
                }
            }
            access.append(access.isEmpty() ? "" : ",").append("{\"type\":\"repository\",\"name\":\"").append(parts[1])
                    .append("\",\"actions\":[").append(String.join(",", granted)).append("]}");
        }
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\""
                + Base64.getEncoder().encodeToString(pki.certificate().getEncoded()) + "\"]}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + (authenticated ? user : "") + "\",\"aud\":\"" + SERVICE
                + "\",\"exp\":" + (now + 300) + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ",\"jti\":\""
                + UUID.randomUUID() + "\",\"access\":[" + access + "]}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(pki.keys().getPrivate());
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64Url(signature.sign());
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
