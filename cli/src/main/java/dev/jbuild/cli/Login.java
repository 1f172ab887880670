package dev.jbuild.cli;

import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Credentials;
import dev.jbuild.registry.DockerCredentials;
import dev.jbuild.registry.Registry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild login}: checks credentials against a registry and saves them as {@code docker login} does. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in to a registry: the credentials are checked, then saved in docker's config.json "
                + "(or its credsStore helper).")
final class Login implements Callable<Integer> {
    @Parameters(paramLabel = "REGISTRY", arity = "0..1", defaultValue = Reference.DOCKER_HUB,
            description = "host[:port] (default: ${DEFAULT-VALUE}).")
    String registryName;

    @Option(names = {"-u", "--username"}, required = true)
    String username;

    @Option(names = {"-p", "--password"}, description = "The password (prefer --password-stdin: this one shows in ps).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        String secret = password;
        if (passwordStdin) {
            if (password != null) {
                throw new UsageException("--password and --password-stdin exclude each other");
            }
            secret = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (secret == null || secret.isEmpty()) {
            throw new UsageException("no password given (use --password-stdin)");
        }
        String registry = normalize(registryName);
        Credentials credentials = Credentials.basic(username, secret);
        try (Registry client = new Registry(login.options().withCredentials(r -> Optional.of(credentials)))) {
            client.ping(registry);
        }
        DockerCredentials store = login.credentials();
        store.store(registry, credentials);
        System.out.println("Login succeeded for " + registry + " (saved in " + store.dockerConfig() + ")");
        return ExitCode.OK;
    }

    /** {@code https://index.docker.io/v1/} and friends become {@code docker.io}; a scheme or path is dropped. */
    static String normalize(String registry) {
        String host = registry.replaceFirst("^[a-z]+://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> Reference.DOCKER_HUB;
            default -> host;
        };
    }
}
