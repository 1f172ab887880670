package dev.jbuild.registry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A real {@code docker-credential-<name>} executable (a /bin/sh script) speaking the helper
 * protocol: {@code get}/{@code erase} read a server URL on stdin, {@code store} reads
 * {@code {"ServerURL":…,"Username":…,"Secret":…}}; entries live as files in its directory, and an
 * unknown server gets docker's "credentials not found in native keychain" with exit code 1.
 * Every call is appended to {@code calls.log} as {@code <action> <server>}.
 */
public final class CredentialHelperScript {
    private static final String SCRIPT = """
            #!/bin/sh
            dir=$(dirname "$0")
            mkdir -p "$dir/entries"
            key() { printf '%s' "$1" | tr -c 'A-Za-z0-9.-' '_'; }
            case "$1" in
              get)
                read -r server
                echo "get $server" >> "$dir/calls.log"
                if [ -f "$dir/entries/$(key "$server")" ]; then cat "$dir/entries/$(key "$server")"; exit 0; fi
                echo "credentials not found in native keychain"; exit 1 ;;
              store)
                read -r payload
                server=$(printf '%s' "$payload" | sed -n 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/p')
                echo "store $server" >> "$dir/calls.log"
                printf '%s' "$payload" > "$dir/entries/$(key "$server")" ;;
              erase)
                read -r server
                echo "erase $server" >> "$dir/calls.log"
                if [ -f "$dir/entries/$(key "$server")" ]; then rm "$dir/entries/$(key "$server")"; exit 0; fi
                echo "credentials not found in native keychain"; exit 1 ;;
              *) echo "unknown action $1"; exit 1 ;;
            esac
            """;

    private final Path directory;
    private final String name;

    private CredentialHelperScript(Path directory, String name) {
        this.directory = directory;
        this.name = name;
    }

    /** Writes {@code docker-credential-<name>} into {@code directory}. */
    public static CredentialHelperScript install(Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Path script = directory.resolve("docker-credential-" + name);
        Files.writeString(script, SCRIPT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new CredentialHelperScript(directory, name);
    }

    public Path directory() {
        return directory;
    }

    public String name() {
        return name;
    }

    /** Seeds an entry as {@code store} would. */
    public void put(String serverUrl, String username, String secret) throws IOException {
        Files.createDirectories(directory.resolve("entries"));
        Files.writeString(entry(serverUrl), "{\"ServerURL\":\"" + serverUrl + "\",\"Username\":\"" + username
                + "\",\"Secret\":\"" + secret + "\"}");
    }

    /** True when the helper holds an entry for {@code serverUrl}. */
    public boolean holds(String serverUrl) {
        return Files.isRegularFile(entry(serverUrl));
    }

    /** The calls made so far, as {@code <action> <server>} lines. */
    public List<String> calls() throws IOException {
        Path log = directory.resolve("calls.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private Path entry(String serverUrl) {
        return directory.resolve("entries").resolve(serverUrl.replaceAll("[^A-Za-z0-9.-]", "_"));
    }
}
