package dev.jbuild.registry.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An HTTP client that sets up TLS only when an {@code https} URL is first requested. OkHttp
 * builds an {@code SSLContext} and loads the system trust store when a client that may speak TLS
 * is built, which costs a few hundred milliseconds of CPU per command; a plain-HTTP registry
 * (loopback, or marked insecure) never needs it, while its token realm or a redirect to blob
 * storage may still be {@code https}. Both clients share one connection pool and dispatcher.
 */
public final class LazyTlsClient implements Call.Factory {
    private final OkHttpClient cleartext;
    private final Supplier<OkHttpClient> tls;

    private LazyTlsClient(OkHttpClient cleartext, Supplier<OkHttpClient> tls) {
        this.cleartext = cleartext;
        this.tls = tls;
    }

    /**
     * A client with everything {@code configured} holds (interceptors, timeouts), TLS from
     * {@code hostTls} when present, and {@code redirectClient} (no interceptors, TLS) to follow
     * a plain-HTTP response that redirects to {@code https}.
     */
    public static LazyTlsClient of(OkHttpClient.Builder configured, Optional<HostTls> hostTls,
            Supplier<OkHttpClient> redirectClient) {
        OkHttpClient base = configured.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
        Supplier<OkHttpClient> tls = memoize(() -> {
            OkHttpClient.Builder builder = base.newBuilder()
                    .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT));
            hostTls.ifPresent(t -> builder.sslSocketFactory(t.context().getSocketFactory(), t.trustManager()));
            return builder.build();
        });
        OkHttpClient cleartext = base.newBuilder()
                .followSslRedirects(false)
                .addInterceptor(new ToHttpsRedirect(redirectClient))
                .build();
        return new LazyTlsClient(cleartext, tls);
    }

    /** {@code cleartextBase} (built with only {@link ConnectionSpec#CLEARTEXT}) and its TLS twin, built on first use. */
    public static LazyTlsClient plain(OkHttpClient cleartextBase) {
        Supplier<OkHttpClient> tls = memoize(() -> cleartextBase.newBuilder()
                .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT)).build());
        return new LazyTlsClient(cleartextBase, tls);
    }

    /** The TLS client of {@link #plain}, built now if it was not yet. */
    public OkHttpClient tlsClient() {
        return tls.get();
    }

    @Override
    public Call newCall(Request request) {
        return (request.url().isHttps() ? tls.get() : cleartext).newCall(request);
    }

    /** True once the TLS client exists (an {@code https} URL was requested). */
    boolean tlsBuilt() {
        return tls instanceof Memo<OkHttpClient> memo && memo.done();
    }

    private static <T> Memo<T> memoize(Supplier<T> factory) {
        return new Memo<>(factory);
    }

    private static final class Memo<T> implements Supplier<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Memo(Supplier<T> factory) {
            this.factory = factory;
        }

        @Override
        public T get() {
            T known = value;
            if (known == null) {
                synchronized (this) {
                    known = value;
                    if (known == null) {
                        known = factory.get();
                        value = known;
                    }
                }
            }
            return known;
        }

        boolean done() {
            return value != null;
        }
    }

    /**
     * Follows a redirect from plain HTTP to {@code https} (blob storage behind a plain-HTTP
     * registry) with a TLS client that adds no credentials: OkHttp drops {@code Authorization} on
     * such a hop too, as the scheme and so the origin change.
     */
    private record ToHttpsRedirect(Supplier<OkHttpClient> redirectClient) implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            Response response = chain.proceed(request);
            if (!response.isRedirect() || !(request.method().equals("GET") || request.method().equals("HEAD"))) {
                return response;
            }
            String location = response.header("Location");
            HttpUrl target = location == null ? null : request.url().resolve(location);
            if (target == null || !target.isHttps()) {
                return response;
            }
            response.close();
            Request redirected = request.newBuilder().url(target).removeHeader("Authorization").build();
            return redirectClient.get().newCall(redirected).execute();
        }
    }
}
