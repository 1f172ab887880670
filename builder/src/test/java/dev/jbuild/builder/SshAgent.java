package dev.jbuild.builder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.runtime.testing.HostBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real {@code ssh-agent} holding one fresh ed25519 key, for the duration of a test. */
record SshAgent(Process process, Path socket, String fingerprint) implements AutoCloseable {
    private static final Path SSH_AGENT = Path.of("/usr/bin/ssh-agent");
    private static final Path SSH_ADD = Path.of("/usr/bin/ssh-add");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    /** Starts an agent listening on a socket in {@code directory} and adds a new key to it. */
    static SshAgent start(Path directory) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SSH_AGENT) && Files.isExecutable(SSH_ADD) && Files.isExecutable(SSH_KEYGEN),
                "needs ssh-agent, ssh-add and ssh-keygen (apt-get install openssh-client)");
        Files.createDirectories(directory);
        Path socket = directory.resolve("agent.sock");
        Process agent = new ProcessBuilder(SSH_AGENT.toString(), "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            // ssh-add only succeeds once the agent listens
            Path key = directory.resolve("id_ed25519");
            run(Map.of(), SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "jbuild-test-key", "-f", key.toString());
            String fingerprint = run(Map.of(), SSH_KEYGEN.toString(), "-l", "-f", key + ".pub").split(" ")[1];
            for (int attempt = 0; ; attempt++) {
                try {
                    run(Map.of("SSH_AUTH_SOCK", socket.toString()), SSH_ADD.toString(), "-q", key.toString());
                    break;
                } catch (IOException notListeningYet) {
                    if (attempt == 100 || !agent.isAlive()) {
                        throw notListeningYet;
                    }
                    Thread.sleep(50);
                }
            }
            return new SshAgent(agent, socket, fingerprint);
        } catch (IOException | InterruptedException | RuntimeException e) {
            agent.destroy();
            throw e;
        }
    }

    /** Copies the host's ssh-add with its loader and libraries into {@code directory} (see {@link HostBinaries}). */
    static void copySshAdd(Path directory) throws IOException, InterruptedException {
        HostBinaries.copyWithLibraries(SSH_ADD, directory);
    }

    private static String run(Map<String, String> environment, String... command) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
