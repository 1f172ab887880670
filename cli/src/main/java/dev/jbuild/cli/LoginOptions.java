package dev.jbuild.cli;

import dev.jbuild.registry.CredentialSource;
import dev.jbuild.registry.DockerCredentials;
import dev.jbuild.registry.RegistriesConfig;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * How commands reach and log in to registries: where credentials live, which hosts may use plain
 * HTTP, extra certs.d directories, the registries.conf with mirrors, and the upload style.
 */
final class LoginOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Allow plain HTTP (and no TLS verification fallback) for this registry; repeatable. "
                    + "Loopback registries are always allowed.")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--cert-dir", paramLabel = "DIR",
            description = "Also read <DIR>/<host[:port]>/*.crt (CAs) and *.cert/*.key (client pairs); repeatable.")
    List<Path> certDirs = new ArrayList<>();

    @Option(names = "--authfile", paramLabel = "FILE",
            description = "Read and write credentials in this file instead of the docker/containers defaults.")
    Path authFile;

    @Option(names = "--credential-helper-dir", paramLabel = "DIR",
            description = "Look for docker-credential-* helpers (credsStore, credHelpers) in DIR before $PATH; "
                    + "repeatable.")
    List<Path> credentialHelperDirs = new ArrayList<>();

    @Option(names = "--registries-conf", paramLabel = "FILE",
            description = "A containers registries.conf for mirrors and insecure registries "
                    + "(default: $CONTAINERS_REGISTRIES_CONF, else ~/.config/containers/registries.conf, "
                    + "else /etc/containers/registries.conf, when present).")
    Path registriesConf;

    @Option(names = "--chunk-size", paramLabel = "BYTES", defaultValue = "0",
            description = "Upload blobs in PATCH chunks of this size (default: one PUT per blob).")
    long chunkSize;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "6",
            description = "Blobs transferred at the same time. Default: ${DEFAULT-VALUE}.")
    int jobs;

    /** The credentials store that login/logout change and every command reads. */
    DockerCredentials credentials() {
        DockerCredentials files = authFile != null ? new DockerCredentials(List.of(authFile), authFile)
                : DockerCredentials.fromEnvironment();
        if (credentialHelperDirs.isEmpty()) {
            return files;
        }
        List<Path> helperPath = new ArrayList<>(credentialHelperDirs);
        helperPath.addAll(files.helperPath());
        return files.withHelperPath(helperPath);
    }

    RegistryOptions options() throws IOException {
        Set<Path> certs = new java.util.LinkedHashSet<>(certDirs);
        certs.addAll(RegistryOptions.defaultCertsDirectories());
        CredentialSource credentials = credentials();
        return RegistryOptions.defaults()
                .withCredentials(credentials)
                .withInsecureHosts(new HashSet<>(insecureRegistries))
                .withCertsDirectories(List.copyOf(certs))
                .withRegistriesConfig(registriesConfig())
                .withChunkSize(chunkSize);
    }

    private RegistriesConfig registriesConfig() throws IOException {
        if (registriesConf != null) {
            return RegistriesConfig.read(registriesConf);
        }
        Map<String, String> env = System.getenv();
        List<Path> candidates = new ArrayList<>();
        if (env.get("CONTAINERS_REGISTRIES_CONF") != null) {
            candidates.add(Path.of(env.get("CONTAINERS_REGISTRIES_CONF")));
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".config", "containers", "registries.conf"));
        candidates.add(Path.of("/etc/containers/registries.conf"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return RegistriesConfig.read(candidate);
            }
        }
        return RegistriesConfig.EMPTY;
    }

    Registry open() throws IOException {
        if (jobs < 1) {
            throw new UsageException("--jobs must be at least 1");
        }
        return new Registry(options());
    }
}
