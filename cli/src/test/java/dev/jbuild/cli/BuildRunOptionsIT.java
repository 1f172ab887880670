package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbuild build --allow} and {@code --ssh default} end to end, over a FROM-scratch busybox image. */
class BuildRunOptionsIT {
    private static final Path SSH_AGENT = Path.of("/usr/bin/ssh-agent");

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
        try (var paths = Files.walk(tmp)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(tmp)) {
                    Files.delete(path);
                }
            }
        }
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
}
