package dev.jbuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.registry.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Credentials as docker, podman and skopeo keep them: containers {@code auth.json} files and
 * docker's {@code config.json} ({@code credHelpers} before {@code credsStore} before {@code auths}),
 * with {@code docker-credential-*} helper processes. {@code jbuild login} writes config.json the
 * way {@code docker login} does.
 */
public final class DockerCredentials implements CredentialSource {
    /** The key docker uses for Docker Hub in config.json and with credential helpers. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";


    private final List<Path> readFiles;
    private final Path dockerConfig;
    private final List<Path> helperPath;

    /**
     * Reads {@code readFiles} in order (the first holding an entry for a registry wins) and writes
     * logins to {@code dockerConfig}; {@code docker-credential-*} helpers are looked up in
     * {@code $PATH}.
     */
    public DockerCredentials(List<Path> readFiles, Path dockerConfig) {
        this(readFiles, dockerConfig, searchPath(System.getenv("PATH")));
    }

    private DockerCredentials(List<Path> readFiles, Path dockerConfig, List<Path> helperPath) {
        this.readFiles = List.copyOf(readFiles);
        this.dockerConfig = dockerConfig;
        this.helperPath = List.copyOf(helperPath);
    }

    /** These credentials, looking up {@code docker-credential-*} helpers in {@code directories} only, in order. */
    public DockerCredentials withHelperPath(List<Path> directories) {
        return new DockerCredentials(readFiles, dockerConfig, directories);
    }

    /** The directories {@code docker-credential-*} helpers are looked up in. */
    public List<Path> helperPath() {
        return helperPath;
    }

    /** The directories of a {@code PATH}-style value ({@code :}-separated; empty entries are skipped). */
    public static List<Path> searchPath(String path) {
        if (path == null || path.isBlank()) {
            return List.of();
        }
        List<Path> directories = new ArrayList<>();
        for (String entry : path.split(":")) {
            if (!entry.isBlank()) {
                directories.add(Path.of(entry));
            }
        }
        return directories;
    }

    /**
     * The files podman and docker read: {@code REGISTRY_AUTH_FILE} if set, else
     * {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code $XDG_CONFIG_HOME/containers/auth.json},
     * then {@code $DOCKER_CONFIG/config.json} (default {@code ~/.docker/config.json}).
     */
    public static DockerCredentials fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static DockerCredentials fromEnvironment(Map<String, String> env, Path home) {
        Path dockerDir = env.get("DOCKER_CONFIG") != null && !env.get("DOCKER_CONFIG").isBlank()
                ? Path.of(env.get("DOCKER_CONFIG")) : home.resolve(".docker");
        Path dockerConfig = dockerDir.resolve("config.json");
        List<Path> files = new ArrayList<>();
        String authFile = env.get("REGISTRY_AUTH_FILE");
        if (authFile != null && !authFile.isBlank()) {
            files.add(Path.of(authFile));
        } else {
            String runtime = env.get("XDG_RUNTIME_DIR");
            if (runtime != null && !runtime.isBlank()) {
                files.add(Path.of(runtime, "containers", "auth.json"));
            }
            String configHome = env.get("XDG_CONFIG_HOME");
            files.add((configHome != null && !configHome.isBlank() ? Path.of(configHome) : home.resolve(".config"))
                    .resolve("containers").resolve("auth.json"));
        }
        files.add(dockerConfig);
        return new DockerCredentials(files, dockerConfig, searchPath(env.get("PATH")));
    }

    /** The docker config.json that {@link #store} and {@link #erase} change. */
    public Path dockerConfig() {
        return dockerConfig;
    }

    @Override
    public Optional<Credentials> credentialsFor(String registry) throws IOException {
        for (Path file : readFiles) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Optional<Credentials> found = lookup(file, readConfig(file), registry);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<Credentials> lookup(Path file, JsonNode config, String registry) throws IOException {
        JsonNode helpers = config.path("credHelpers");
        for (var field : helpers.properties()) {
            if (sameRegistry(field.getKey(), registry)) {
                return helperGet(field.getValue().asText(), serverUrl(registry),
                        "credHelpers of " + file);
            }
        }
        String store = config.path("credsStore").asText("");
        if (!store.isEmpty()) {
            Optional<Credentials> fromStore = helperGet(store, serverUrl(registry), "credsStore of " + file);
            if (fromStore.isPresent()) {
                return fromStore;
            }
        }
        for (var field : config.path("auths").properties()) {
            if (sameRegistry(field.getKey(), registry)) {
                return Optional.of(decodeEntry(file, field.getKey(), field.getValue()));
            }
        }
        return Optional.empty();
    }

    private static Credentials decodeEntry(Path file, String key, JsonNode entry) throws IOException {
        String identityToken = entry.path("identitytoken").asText("");
        String auth = entry.path("auth").asText("");
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the auth of \"" + key + "\" is not valid base64", e);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IOException(file + ": the auth of \"" + key + "\" is not base64 of user:password");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        return new Credentials(username, password, identityToken);
    }

    /** True when a config key (a host, or a URL like {@code https://index.docker.io/v1/}) names {@code registry}. */
    static boolean sameRegistry(String key, String registry) {
        return canonicalHost(key).equals(canonicalHost(registry));
    }

    private static String canonicalHost(String keyOrHost) {
        String host = keyOrHost.toLowerCase(Locale.ROOT);
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> host;
        };
    }

    private static String serverUrl(String registry) {
        return canonicalHost(registry).equals("docker.io") ? DOCKER_HUB_KEY : registry;
    }

    private Optional<Credentials> helperGet(String helper, String serverUrl, String configuredBy) throws IOException {
        HelperResult result = runHelper(helper, configuredBy, "get", serverUrl);
        if (result.exitCode != 0) {
            if (result.output.toLowerCase(Locale.ROOT).contains("not found")) {
                return Optional.empty();
            }
            throw new IOException("docker-credential-" + helper + " get " + serverUrl + " failed: " + result.output.strip());
        }
        JsonNode answer;
        try {
            answer = Json.read(result.output.getBytes(StandardCharsets.UTF_8), "the answer");
        } catch (IOException e) {
            throw new IOException("docker-credential-" + helper + " get " + serverUrl + " did not answer JSON: "
                    + result.output.strip(), e);
        }
        return Optional.of(new Credentials(answer.path("Username").asText(""), answer.path("Secret").asText(""), ""));
    }

    private record HelperResult(int exitCode, String output) {
    }

    /** The helper's executable, from the first directory of the search path holding one. */
    private Path locateHelper(String helper, String configuredBy) throws IOException {
        String program = "docker-credential-" + helper;
        if (helper.isBlank() || helper.contains("/")) {
            throw new IOException("the credential helper \"" + helper + "\" (" + configuredBy
                    + ") is not a helper name");
        }
        for (Path directory : helperPath) {
            Path candidate = directory.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IOException("credential helper " + program + " (" + configuredBy + ") is not installed: no "
                + "executable of that name in " + String.join(":", helperPath.stream().map(Path::toString).toList()));
    }

    private HelperResult runHelper(String helper, String configuredBy, String action, String input) throws IOException {
        Path executable = locateHelper(helper, configuredBy);
        String program = "docker-credential-" + helper;
        Process process;
        try {
            process = new ProcessBuilder(executable.toString(), action).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("credential helper " + executable + " (" + configuredBy + ") cannot be run: "
                    + e.getMessage(), e);
        }
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " " + action + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(program + " was interrupted", e);
        }
        return new HelperResult(process.exitValue(), output);
    }

    /**
     * Saves a login like {@code docker login}: in the {@code credsStore} helper when config.json
     * names one, else base64 in {@code auths}. Other settings in the file are kept.
     */
    public void store(String registry, Credentials credentials) throws IOException {
        ObjectNode config = Files.isRegularFile(dockerConfig) ? (ObjectNode) readConfig(dockerConfig)
                : JsonNodeFactory.instance.objectNode();
        String key = serverUrl(registry);
        String helper = helperFor(config, registry);
        if (!helper.isEmpty()) {
            ObjectNode payload = JsonNodeFactory.instance.objectNode();
            payload.put("ServerURL", key);
            payload.put("Username", credentials.hasIdentityToken() ? Credentials.TOKEN_USERNAME : credentials.username());
            payload.put("Secret", credentials.hasIdentityToken() ? credentials.identityToken() : credentials.secret());
            HelperResult result = runHelper(helper, "the helper of " + dockerConfig, "store",
                    new String(dev.jbuild.oci.Json.write(payload), StandardCharsets.UTF_8));
            if (result.exitCode != 0) {
                throw new IOException("docker-credential-" + helper + " store failed: " + result.output.strip());
            }
            ObjectNode auths = config.withObjectProperty("auths");
            auths.putObject(key);
        } else {
            ObjectNode entry = JsonNodeFactory.instance.objectNode();
            if (credentials.hasIdentityToken()) {
                entry.put("auth", "");
                entry.put("identitytoken", credentials.identityToken());
            } else {
                entry.put("auth", Base64.getEncoder().encodeToString(
                        (credentials.username() + ":" + credentials.secret()).getBytes(StandardCharsets.UTF_8)));
            }
            removeMatching(config.withObjectProperty("auths"), registry);
            config.withObjectProperty("auths").set(key, entry);
        }
        writeConfig(config);
    }

    /** Removes a login from config.json (and from its helper); false when there was none. */
    public boolean erase(String registry) throws IOException {
        if (!Files.isRegularFile(dockerConfig)) {
            return false;
        }
        ObjectNode config = (ObjectNode) readConfig(dockerConfig);
        boolean removed = false;
        String helper = helperFor(config, registry);
        if (!helper.isEmpty()) {
            HelperResult result = runHelper(helper, "the helper of " + dockerConfig, "erase", serverUrl(registry));
            removed = result.exitCode == 0;
        }
        if (config.path("auths") instanceof ObjectNode auths) {
            removed |= removeMatching(auths, registry);
        }
        writeConfig(config);
        return removed;
    }

    private static String helperFor(ObjectNode config, String registry) {
        for (var field : config.path("credHelpers").properties()) {
            if (sameRegistry(field.getKey(), registry)) {
                return field.getValue().asText("");
            }
        }
        return config.path("credsStore").asText("");
    }

    private static boolean removeMatching(ObjectNode auths, String registry) {
        List<String> keys = new ArrayList<>();
        auths.fieldNames().forEachRemaining(key -> {
            if (sameRegistry(key, registry)) {
                keys.add(key);
            }
        });
        keys.forEach(auths::remove);
        return !keys.isEmpty();
    }

    private static JsonNode readConfig(Path file) throws IOException {
        JsonNode node = Json.read(Files.readAllBytes(file), file.toString());
        if (!node.isObject()) {
            throw new IOException(file + ": expected a JSON object");
        }
        return node;
    }

    private void writeConfig(ObjectNode config) throws IOException {
        Path directory = dockerConfig.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, ".config.json", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temporary, dev.jbuild.oci.Json.writePretty(config).getBytes(StandardCharsets.UTF_8));
            Files.move(temporary, dockerConfig, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
