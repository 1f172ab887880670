package dev.jbuild.registry.internal;

import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.RegistryOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One registry host: its HTTP client (TLS from certs.d, retries, auth) and its base URL. HTTPS is
 * used unless the host may use plain HTTP (loopback or marked insecure) and answers plain HTTP;
 * TLS is set up only when an {@code https} URL is first requested.
 */
public final class RegistryHost {
    private final String registry;
    private final String host;
    private final LazyTlsClient client;
    private final LazyTlsClient probeClient;
    private final boolean plainHttpAllowed;
    private volatile HttpUrl base;

    /**
     * @param registry the name users write ({@code docker.io})
     * @param host the host[:port] to contact ({@code registry-1.docker.io})
     * @param shared the client whose pool and dispatcher every host shares, speaking only cleartext
     * @param redirectClient a TLS client without interceptors, for plain-HTTP redirects to {@code https}
     */
    public RegistryHost(String registry, String host, OkHttpClient shared, Supplier<OkHttpClient> redirectClient,
            RegistryOptions options) throws IOException {
        this.registry = registry;
        this.host = host;
        Optional<HostTls> tls = HostTls.forHost(host, options.certsDirectories());
        this.probeClient = LazyTlsClient.of(shared.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(10)), tls, redirectClient);
        LazyTlsClient tokenClient = LazyTlsClient.of(shared.newBuilder()
                .addInterceptor(new RetryInterceptor(options.maxAttempts(), options.retryBaseDelay(),
                        options.maxRetryDelay())), tls, redirectClient);
        this.client = LazyTlsClient.of(shared.newBuilder()
                .addInterceptor(new RetryInterceptor(options.maxAttempts(), options.retryBaseDelay(),
                        options.maxRetryDelay()))
                .addInterceptor(new AuthInterceptor(registry, options.credentials(),
                        new TokenClient(tokenClient, registry))), tls, redirectClient);
        this.plainHttpAllowed = options.allowsPlainHttp(host);
    }

    public String registry() {
        return registry;
    }

    public String host() {
        return host;
    }

    /**
     * {@code https://host/v2/}, or {@code http://host/v2/} for a registry that may use plain HTTP
     * and answers it. Such registries (loopback, or marked insecure) are tried over plain HTTP
     * first, which spares the TLS set-up; one that answers 400 there ("client sent an HTTP
     * request to an HTTPS server") or drops the connection is spoken to over HTTPS.
     */
    public HttpUrl base() throws IOException {
        HttpUrl known = base;
        if (known != null) {
            return known;
        }
        HttpUrl https = HttpUrl.get("https://" + host + "/v2/");
        HttpUrl http = HttpUrl.get("http://" + host + "/v2/");
        base = plainHttpAllowed && speaksPlainHttp(http) ? http : https;
        return base;
    }

    private boolean speaksPlainHttp(HttpUrl http) throws IOException {
        try (Response response = probeClient.newCall(new Request.Builder().url(http).build()).execute()) {
            return response.code() != 400;
        } catch (ConnectException | UnknownHostException | SocketTimeoutException e) {
            throw ErrorResponses.transportFailure(e, registry, "", "connect to " + host);
        } catch (IOException e) {
            // a TLS server may close a connection that starts with plain HTTP instead of answering
            return false;
        }
    }

    /** Sends {@code request} and turns transport failures into {@link RegistryException}s naming the operation. */
    public Response execute(Request request, String repository, String operation) throws IOException {
        try {
            return client.newCall(request).execute();
        } catch (DigestMismatchException e) {
            throw e;
        } catch (SSLException e) {
            if (!plainHttpAllowed && request.url().host().equals(base().host())) {
                throw new RegistryException(registry, repository, operation, 0, "", "the registry is not reachable "
                        + "over HTTPS (" + e.getMessage() + "); if it serves plain HTTP, mark it insecure with "
                        + "--insecure-registry " + host + " (or insecure = true for it in registries.conf)",
                        false, e);
            }
            throw ErrorResponses.transportFailure(e, registry, repository, operation);
        } catch (IOException e) {
            throw ErrorResponses.transportFailure(e, registry, repository, operation);
        }
    }
}
