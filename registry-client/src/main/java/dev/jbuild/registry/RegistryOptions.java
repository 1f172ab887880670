package dev.jbuild.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How to reach registries: credentials, hosts that may use plain HTTP, where per-host TLS
 * material lives ({@code certs.d}), pull mirrors, retry bounds and the upload style.
 *
 * @param chunkSize 0 uploads each blob in one PUT (the default, which every registry accepts);
 *     a positive size uploads in PATCH chunks of that many bytes with {@code Content-Range}
 */
public record RegistryOptions(
        CredentialSource credentials,
        Set<String> insecureHosts,
        List<Path> certsDirectories,
        RegistriesConfig registriesConfig,
        int maxAttempts,
        Duration retryBaseDelay,
        Duration maxRetryDelay,
        long chunkSize,
        String userAgent) {

    public RegistryOptions {
        Objects.requireNonNull(credentials, "credentials");
        insecureHosts = insecureHosts == null ? Set.of()
                : insecureHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        certsDirectories = certsDirectories == null ? List.of() : List.copyOf(certsDirectories);
        registriesConfig = registriesConfig == null ? RegistriesConfig.EMPTY : registriesConfig;
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        Objects.requireNonNull(retryBaseDelay, "retryBaseDelay");
        Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunkSize must not be negative: " + chunkSize);
        }
        userAgent = userAgent == null || userAgent.isBlank() ? "jbuild" : userAgent;
    }

    /** The certs.d directories docker and podman read, in their order. */
    public static List<Path> defaultCertsDirectories() {
        String home = System.getProperty("user.home");
        return List.of(Path.of("/etc/docker/certs.d"), Path.of("/etc/containers/certs.d"),
                Path.of(home, ".config", "containers", "certs.d"), Path.of(home, ".docker", "certs.d"));
    }

    /** Credentials from the user's docker and containers config files, default certs.d, 5 attempts. */
    public static RegistryOptions defaults() {
        return new RegistryOptions(DockerCredentials.fromEnvironment(), Set.of(), defaultCertsDirectories(),
                RegistriesConfig.EMPTY, 5, Duration.ofMillis(500), Duration.ofSeconds(30), 0, "jbuild");
    }

    public RegistryOptions withCredentials(CredentialSource newCredentials) {
        return new RegistryOptions(newCredentials, insecureHosts, certsDirectories, registriesConfig, maxAttempts,
                retryBaseDelay, maxRetryDelay, chunkSize, userAgent);
    }

    public RegistryOptions withInsecureHosts(Set<String> hosts) {
        return new RegistryOptions(credentials, hosts, certsDirectories, registriesConfig, maxAttempts,
                retryBaseDelay, maxRetryDelay, chunkSize, userAgent);
    }

    public RegistryOptions withCertsDirectories(List<Path> directories) {
        return new RegistryOptions(credentials, insecureHosts, directories, registriesConfig, maxAttempts,
                retryBaseDelay, maxRetryDelay, chunkSize, userAgent);
    }

    public RegistryOptions withRegistriesConfig(RegistriesConfig config) {
        return new RegistryOptions(credentials, insecureHosts, certsDirectories, config, maxAttempts,
                retryBaseDelay, maxRetryDelay, chunkSize, userAgent);
    }

    /** Retry at most {@code attempts} times in all, waiting {@code base·2ⁿ} plus jitter, never more than {@code max}. */
    public RegistryOptions withRetries(int attempts, Duration base, Duration max) {
        return new RegistryOptions(credentials, insecureHosts, certsDirectories, registriesConfig, attempts, base, max,
                chunkSize, userAgent);
    }

    public RegistryOptions withChunkSize(long newChunkSize) {
        return new RegistryOptions(credentials, insecureHosts, certsDirectories, registriesConfig, maxAttempts,
                retryBaseDelay, maxRetryDelay, newChunkSize, userAgent);
    }

    /**
     * True when {@code host} may be reached over plain HTTP: loopback registries (as Docker
     * allows) and hosts marked insecure here or in the registries config.
     */
    public boolean allowsPlainHttp(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return isLoopback(lower) || insecureHosts.contains(lower) || registriesConfig.isInsecure(lower);
    }

    /** True for {@code localhost}, 127.0.0.0/8 and {@code ::1}, with or without a port. */
    public static boolean isLoopback(String hostPort) {
        String host = hostPort;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':'));
        }
        return host.equals("localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
    }
}
