package dev.jbuild.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code ssh-agent} holding the keys of one {@code --ssh ID=KEY[,KEY...]} for one build,
 * as {@code docker buildx build --ssh default=~/.ssh/id_ed25519} offers: the build reaches the keys
 * only through the agent's socket (RUN --mount=type=ssh), never as files. The agent and its socket
 * go when the build ends.
 */
final class SshKeyAgent implements Closeable {
    private static final long START_TIMEOUT_MILLIS = 5_000;

    private final Process agent;
    private final Path directory;
    private final Path socket;

    private SshKeyAgent(Process agent, Path directory, Path socket) {
        this.agent = agent;
        this.directory = directory;
        this.socket = socket;
    }

    /** Starts an agent and adds {@code keys} to it; fails with the tools' own words when a key cannot be added. */
    static SshKeyAgent start(String id, List<Path> keys) throws IOException {
        Path directory = Files.createTempDirectory("jbuild-ssh-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = directory.resolve("agent.sock");
        Process agent;
        try {
            agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            Files.deleteIfExists(directory);
            throw new IllegalArgumentException("--ssh " + id + " with key files needs ssh-agent and ssh-add"
                    + " (apt-get install openssh-client): " + e.getMessage(), e);
        }
        SshKeyAgent started = new SshKeyAgent(agent, directory, socket);
        try {
            started.awaitSocket(id);
            started.add(id, keys);
            return started;
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /** The agent's socket, to forward like one given with {@code --ssh ID=SOCKET}. */
    Path socket() {
        return socket;
    }

    private void awaitSocket(String id) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (!Files.exists(socket)) {
            if (!agent.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("--ssh " + id + ": ssh-agent did not start"
                        + (agent.isAlive() ? "" : " (exit code " + agent.exitValue() + ")"));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("--ssh " + id + ": interrupted while ssh-agent started", e);
            }
        }
    }

    private void add(String id, List<Path> keys) throws IOException {
        List<String> command = new ArrayList<>(List.of("ssh-add", "-q"));
        keys.forEach(key -> command.add(key.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // a key with a passphrase must fail, not wait for a prompt that a build cannot answer
        builder.environment().put("SSH_AUTH_SOCK", socket.toString());
        builder.environment().put("SSH_ASKPASS_REQUIRE", "never");
        builder.environment().remove("DISPLAY");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("--ssh " + id + ": interrupted while ssh-add ran", e);
        }
        if (code != 0) {
            throw new IllegalArgumentException("--ssh " + id + ": ssh-add could not load " + keys
                    + " (keys with a passphrase need an agent: --ssh " + id + "=SOCKET)"
                    + (output.isEmpty() ? "" : ": " + output));
        }
    }

    @Override
    public void close() throws IOException {
        agent.destroy();
        try {
            if (!agent.waitFor(2, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        } catch (InterruptedException e) {
            agent.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
        Files.deleteIfExists(directory);
    }
}
