package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.runtime.testing.HostBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbuild build --allow} and {@code --ssh} end to end, over a FROM-scratch busybox image. */
class BuildRunOptionsIT {
    private static final Path SSH_AGENT = Path.of("/usr/bin/ssh-agent");
    private static final Path SSH_ADD = Path.of("/usr/bin/ssh-add");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    @TempDir
    Path tmp;

    private Path context;

    @BeforeEach
    void context() throws IOException {
        context = BusyboxContext.create(tmp);
    }

    /** Removes what the test made, without JUnit's warnings about the busybox symlinks that point outside. */
    @AfterEach
    void removeTrees() throws IOException {
        BusyboxContext.deleteChildren(tmp);
    }

    private void dockerfile(String run) throws IOException {
        Files.writeString(context.resolve("Dockerfile"), BusyboxContext.BASE + run + "\n");
    }

    @Test
    void insecureStepIsRefusedWithoutAllowAndRunsWithIt() throws IOException {
        dockerfile("RUN --security=insecure grep CapEff /proc/self/status > /caps");
        String store = tmp.resolve("store").toString();
        CliRun refused = CliRun.of("--root", store, "build", "--progress", "plain", context.toString());
        assertEquals(1, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("error: line 4: RUN --security=insecure needs the security.insecure"
                + " entitlement: build with --allow security.insecure"), refused.err());

        Path rootfs = tmp.resolve("rootfs");
        CliRun allowed = CliRun.of("--root", store, "build", "--progress", "plain", "--allow", "security.insecure",
                "-o", "type=local,dest=" + rootfs, context.toString());
        assertEquals(0, allowed.exitCode(), allowed.err());
        assertTrue(Files.readString(rootfs.resolve("caps")).startsWith("CapEff:"));
        assertTrue(!Files.readString(rootfs.resolve("caps")).contains("00000000a80425fb"),
                "not Docker's default set: " + Files.readString(rootfs.resolve("caps")));

        CliRun unknown = CliRun.of("--root", store, "build", "--allow", "network.everything", context.toString());
        assertEquals(2, unknown.exitCode(), unknown.err());
        assertTrue(unknown.err().contains("unknown entitlement \"network.everything\""), unknown.err());
    }

    @Test
    void sshDefaultForwardsTheAgentOfSshAuthSock() throws Exception {
        assumeTrue(Files.isExecutable(SSH_AGENT), "needs ssh-agent (apt-get install openssh-client)");
        dockerfile("RUN --mount=type=ssh,required=true test -S \"$SSH_AUTH_SOCK\" && echo \"$SSH_AUTH_SOCK\" > /agent");
        Path socket = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder(SSH_AGENT.toString(), "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            for (int attempt = 0; !Files.exists(socket) && attempt < 200 && agent.isAlive(); attempt++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(socket), "ssh-agent made no socket");
            Path rootfs = tmp.resolve("rootfs");
            // a JVM cannot change its own environment: the CLI runs in a child that has SSH_AUTH_SOCK
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "--root", tmp.resolve("store").toString(), "build", "--progress", "plain", "--ssh", "default",
                    "-o", "type=local,dest=" + rootfs, context.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process build = builder.start();
            String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, build.waitFor(), output);
            assertEquals("/run/buildkit/ssh_agent.0\n", Files.readString(rootfs.resolve("agent")));
            assertTrue(!Files.exists(rootfs.resolve("run/buildkit")), "the agent's mount point is not in the image");

            ProcessBuilder unset = new ProcessBuilder(command).redirectErrorStream(true);
            unset.environment().remove("SSH_AUTH_SOCK");
            Process failing = unset.start();
            String failure = new String(failing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, failing.waitFor(), failure);
            assertTrue(failure.contains("--ssh default: no socket given and SSH_AUTH_SOCK is not set"), failure);
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sshKeyFilesAreServedByAnAgentThatEndsWithTheBuild() throws Exception {
        assumeTrue(Files.isExecutable(SSH_AGENT) && Files.isExecutable(SSH_ADD) && Files.isExecutable(SSH_KEYGEN),
                "needs ssh-agent, ssh-add and ssh-keygen (apt-get install openssh-client)");
        HostBinaries.copyWithLibraries(SSH_ADD, context.resolve("hostssh"));
        dockerfile("RUN --mount=type=ssh,required=true --mount=type=bind,source=hostssh,target=/hostssh"
                + " /hostssh/ld.so --library-path /hostssh/lib /hostssh/ssh-add -l > /keys");
        Path first = newKey("id_ed25519", "");
        Path second = newKey("id_second", "");
        Path locked = newKey("id_locked", "a passphrase");
        String store = tmp.resolve("store").toString();
        Path rootfs = tmp.resolve("rootfs");
        List<Path> agentsBefore = sshTemporaries();

        CliRun built = CliRun.of("--root", store, "build", "--progress", "plain", "--ssh", "default=" + first + "," + second,
                "-o", "type=local,dest=" + rootfs, context.toString());
        assertEquals(0, built.exitCode(), built.err());
        String keys = Files.readString(rootfs.resolve("keys"));
        assertTrue(keys.contains(fingerprint(first)) && keys.contains(fingerprint(second)), "ssh-add -l in the step: " + keys);
        assertEquals(agentsBefore, sshTemporaries(), "the build's agent and its socket are gone");

        CliRun withPassphrase = CliRun.of("--root", store, "build", "--no-cache", "--ssh", "default=" + locked,
                context.toString());
        assertEquals(2, withPassphrase.exitCode(), withPassphrase.err());
        assertTrue(withPassphrase.err().contains("--ssh default: ssh-add could not load"), withPassphrase.err());
        assertEquals(agentsBefore, sshTemporaries(), "a failed start leaves no agent behind");

        CliRun missing = CliRun.of("--root", store, "build", "--ssh", "default=" + first + "," + tmp.resolve("nothing"),
                context.toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("is not a key file"), missing.err());
    }

    private Path newKey(String name, String passphrase) throws IOException, InterruptedException {
        Path key = Files.createDirectories(tmp.resolve("keys")).resolve(name);
        run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", key.toString());
        return key;
    }

    private static String fingerprint(Path key) throws IOException, InterruptedException {
        return run(SSH_KEYGEN.toString(), "-l", "-f", key + ".pub").split(" ")[1];
    }

    private static List<Path> sshTemporaries() throws IOException {
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("jbuild-ssh-")).sorted().toList();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
        return output;
    }
}
