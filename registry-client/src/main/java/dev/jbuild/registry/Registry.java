package dev.jbuild.registry;

import dev.jbuild.oci.Reference;
import dev.jbuild.registry.internal.BufferedSocketFactory;
import dev.jbuild.registry.internal.Catalog;
import dev.jbuild.registry.internal.LazyTlsClient;
import dev.jbuild.registry.internal.Ping;
import dev.jbuild.registry.internal.RegistryHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/**
 * The registry client: hands out {@link RegistryRepository repositories} (sources and sinks of
 * content) and answers registry-wide questions. One instance shares connections, tokens and TLS
 * setup across all the repositories it serves; close it when done.
 */
public final class Registry implements AutoCloseable {
    private final RegistryOptions options;
    private final OkHttpClient shared;
    private final LazyTlsClient redirects;
    private final Map<String, RegistryHost> hosts = new ConcurrentHashMap<>();

    public Registry(RegistryOptions options) {
        this.options = options;
        // cleartext only: TLS is set up per host when an https URL is first requested
        this.shared = new OkHttpClient.Builder()
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .socketFactory(new BufferedSocketFactory())
                .connectionPool(new ConnectionPool(32, 5, java.util.concurrent.TimeUnit.MINUTES))
                .connectTimeout(Duration.ofSeconds(30))
                .readTimeout(Duration.ofSeconds(120))
                .writeTimeout(Duration.ofSeconds(120))
                .addNetworkInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                        .header("User-Agent", options.userAgent()).build()))
                .build();
        this.redirects = LazyTlsClient.plain(shared);
    }

    public RegistryOptions options() {
        return options;
    }

    /** The repository a reference names, for pushing and reading (no mirrors; registries.conf locations apply). */
    public RegistryRepository repository(Reference reference) throws IOException {
        Reference target = options.registriesConfig().pushTarget(reference);
        return new RegistryRepository(host(target), target.repository(), List.of(), options.chunkSize());
    }

    /**
     * The repository to pull a reference from: the first of its registries.conf mirrors that has
     * the manifest, else the registry itself.
     */
    public RegistryRepository pullRepository(Reference reference) throws IOException {
        List<Reference> sources = options.registriesConfig().pullSources(reference);
        List<IOException> mirrorFailures = new ArrayList<>();
        for (Reference source : sources.subList(0, sources.size() - 1)) {
            try {
                RegistryRepository mirror = new RegistryRepository(host(source), source.repository(), List.of(), options.chunkSize());
                mirror.resolve(reference.identifier());
                return mirror;
            } catch (IOException e) {
                mirrorFailures.add(e);
            }
        }
        Reference primary = sources.getLast();
        RegistryRepository repository = new RegistryRepository(host(primary), primary.repository(), List.of(), options.chunkSize());
        mirrorFailures.forEach(repository::noteMirrorFailure);
        return repository;
    }

    /** Checks that {@code registry} answers the distribution API and accepts the configured credentials. */
    public void ping(String registry) throws IOException {
        Ping.ping(host(registry));
    }

    /** Every repository of a registry ({@code _catalog}); many public registries refuse this. */
    public List<String> catalog(String registry) throws IOException {
        return Catalog.list(host(registry), 1000);
    }

    private RegistryHost host(Reference reference) throws IOException {
        return host(reference.registry());
    }

    private RegistryHost host(String registry) throws IOException {
        try {
            return hosts.computeIfAbsent(registry, name -> {
                try {
                    String contact = name.equals(Reference.DOCKER_HUB) ? Reference.DOCKER_HUB_HOST : name;
                    return new RegistryHost(name, contact, shared, redirects::tlsClient, options);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        shared.dispatcher().executorService().shutdown();
        shared.connectionPool().evictAll();
    }
}
