package dev.jbuild.registry.internal;

import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.RegistryOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One registry host: its HTTP client (TLS from certs.d, retries, auth) and its base URL. HTTPS is
 * used unless the host may use plain HTTP (loopback or marked insecure) and does not speak TLS.
 */
public final class RegistryHost {
    private final String registry;
    private final String host;
    private final OkHttpClient client;
    private final OkHttpClient probeClient;
    private final boolean plainHttpAllowed;
    private final boolean loopback;
    private volatile HttpUrl base;

    /**
     * @param registry the name users write ({@code docker.io})
     * @param host the host[:port] to contact ({@code registry-1.docker.io})
     */
    public RegistryHost(String registry, String host, OkHttpClient shared, RegistryOptions options) throws IOException {
        this.registry = registry;
        this.host = host;
        OkHttpClient.Builder builder = shared.newBuilder();
        Optional<HostTls> tls = HostTls.forHost(host, options.certsDirectories());
        if (tls.isPresent()) {
            builder.sslSocketFactory(tls.get().context().getSocketFactory(), tls.get().trustManager());
        }
        OkHttpClient transport = builder.build();
        this.probeClient = transport.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        OkHttpClient tokenClient = transport.newBuilder()
                .addInterceptor(new RetryInterceptor(options.maxAttempts(), options.retryBaseDelay(),
                        options.maxRetryDelay()))
                .build();
        this.client = transport.newBuilder()
                .addInterceptor(new RetryInterceptor(options.maxAttempts(), options.retryBaseDelay(),
                        options.maxRetryDelay()))
                .addInterceptor(new AuthInterceptor(registry, options.credentials(),
                        new TokenClient(tokenClient, registry)))
                .build();
        this.plainHttpAllowed = options.allowsPlainHttp(host);
        this.loopback = RegistryOptions.isLoopback(host);
    }

    public String registry() {
        return registry;
    }

    public String host() {
        return host;
    }

    public OkHttpClient client() {
        return client;
    }

    /**
     * {@code https://host/v2/}, or {@code http://host/v2/} for a registry that may use plain HTTP
     * and does not speak TLS. Loopback registries are tried over HTTP first (the traffic never
     * leaves the machine, and this spares a TLS setup); other insecure hosts over HTTPS first.
     */
    public HttpUrl base() throws IOException {
        HttpUrl known = base;
        if (known != null) {
            return known;
        }
        HttpUrl https = HttpUrl.get("https://" + host + "/v2/");
        HttpUrl http = HttpUrl.get("http://" + host + "/v2/");
        if (!plainHttpAllowed) {
            base = https;
        } else if (loopback) {
            base = speaksPlainHttp(http) ? http : https;
        } else {
            base = speaksTls(https) ? https : http;
        }
        return base;
    }

    private boolean speaksPlainHttp(HttpUrl http) throws IOException {
        try (Response response = probeClient.newCall(new Request.Builder().url(http).build()).execute()) {
            // a TLS-only server answers plain HTTP with 400 ("client sent an HTTP request to an HTTPS server")
            return response.code() != 400;
        } catch (IOException e) {
            throw ErrorResponses.transportFailure(e, registry, "", "connect to " + host);
        }
    }

    private boolean speaksTls(HttpUrl https) throws IOException {
        try {
            probeClient.newCall(new Request.Builder().url(https).build()).execute().close();
            return true;
        } catch (SSLException e) {
            return false;
        } catch (IOException e) {
            throw ErrorResponses.transportFailure(e, registry, "", "connect to " + host);
        }
    }

    /** Sends {@code request} and turns transport failures into {@link RegistryException}s naming the operation. */
    public Response execute(Request request, String repository, String operation) throws IOException {
        try {
            return client.newCall(request).execute();
        } catch (DigestMismatchException e) {
            throw e;
        } catch (IOException e) {
            throw ErrorResponses.transportFailure(e, registry, repository, operation);
        }
    }
}
