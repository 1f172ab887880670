package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.runtime.Limits;
import dev.jbuild.runtime.Rlimit;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end builds of what RUN asks of the build beyond its command: cache mounts seeded from a stage
 * or image, cache sharing modes, {@code --security=insecure} and SSH agent forwarding.
 */
class RunFeaturesIT {
    private static final Path CASES = BuildCasesIT.CASES;
    /** Docker's default capability set as /proc shows it. */
    private static final String DEFAULT_CAPABILITIES = "CapEff:\t00000000a80425fb\n";

    @TempDir
    Path tmp;

    private Store store;

    @BeforeEach
    void storeWithBusybox() throws IOException {
        store = BusyboxImage.storeWithBusybox(tmp);
    }

    @AfterEach
    void removeTrees() throws IOException {
        BusyboxImage.deleteChildren(tmp);
    }

    private BuiltImage build(String name, Path context, Consumer<BuildRequest.Builder> options)
            throws BuildException, IOException {
        BuildRequest.Builder request = BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.File(CASES.resolve(name).resolve("Dockerfile")))
                .tag(name + ":test");
        options.accept(request);
        Builder.create(store).build(request.build());
        return BuiltImage.read(store, name + ":test", Files.createTempDirectory(tmp, "image-"));
    }

    private BuiltImage build(String name, Consumer<BuildRequest.Builder> options) throws BuildException, IOException {
        return build(name, Files.createDirectories(tmp.resolve("empty-context")), options);
    }

    @Test
    void cacheFromIsSeededOnceAndThenKeepsWhatStepsWrite() throws Exception {
        BuiltImage first = build("cache-from", request -> { });
        assertEquals("seeded\n", first.file("first"), "the first use sees source of the from stage");
        assertEquals("changed\nwritten\n", first.file("second"), "a later step sees the writes, not the seed again");
        assertEquals("seeded\n", first.file("by-index"), "from= takes a stage index");
        assertTrue(first.file("from-image").contains("root:x:0:"), "from= takes an image: " + first.file("from-image"));
        assertEquals("seeded\n", first.file("whole-root"), "source defaults to the root of from");
        assertFalse(first.exists("cache"), "the cache target is not part of the image");
        assertEquals("from the seed stage\n", first.file("mark"),
                "a cache the from stage made already is not seeded, and waiting for that stage holds no lock");

        assertEquals("changed\n", first.file("read-only"), "a readonly cache mount shows the cache but refuses writes");

        BuiltImage again = build("cache-from", request -> request.noCache(true));
        assertEquals("changed\n", again.file("first"), "an existing cache is not seeded again");
    }

    @Test
    void privateCachesGiveOverlappingStepsTheirOwnDirectoryAndLockedOnesTakeTurns() throws Exception {
        BuiltImage image = build("cache-sharing", request -> { });
        assertEquals("a\n", image.file("private-a"), "private-a saw only its own directory");
        assertEquals("b\n", image.file("private-b"), "private-b saw only its own directory");
        List<String> log = image.file("turns-log").lines().toList();
        assertEquals(4, log.size(), log.toString());
        String firstIn = log.getFirst().substring("enter ".length());
        String secondIn = firstIn.equals("a") ? "b" : "a";
        assertEquals(List.of("enter " + firstIn, "leave " + firstIn, "enter " + secondIn, "leave " + secondIn), log,
                "locked steps never interleave");
    }

    @Test
    void insecureRunNeedsTheEntitlementAndThenKeepsEveryCapability() throws Exception {
        BuildException refused = assertThrows(BuildException.class, () -> build("security", request -> { }));
        assertTrue(refused.getMessage().contains("line 4") && refused.getMessage().contains("--allow security.insecure"),
                refused.getMessage());

        BuiltImage image = build("security", request -> request.allow(RunSettings.SECURITY_INSECURE));
        assertEquals(DEFAULT_CAPABILITIES, image.file("default"));
        assertEquals(DEFAULT_CAPABILITIES, image.file("sandbox"));
        long insecure = capabilities(image.file("insecure"));
        long ours = capabilities(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElseThrow());
        assertEquals(ours, insecure & ours, "an insecure step has every capability this process has: "
                + image.file("insecure"));
    }

    @Test
    void hostNetworkNeedsTheEntitlementAndThenSeesTheHostsInterfaces() throws Exception {
        BuildException refused = assertThrows(BuildException.class, () -> build("network-host", request -> { }));
        assertTrue(refused.getMessage().contains("line 3") && refused.getMessage().contains("--allow network.host"),
                refused.getMessage());

        BuiltImage image = build("network-host", request -> request.allow(RunSettings.NETWORK_HOST));
        assertEquals("lo\n", image.file("none"));
        try (var interfaces = Files.list(Path.of("/sys/class/net"))) {
            String host = interfaces.map(path -> path.getFileName().toString()).sorted()
                    .map(name -> name + "\n").collect(Collectors.joining());
            assertEquals(host, image.file("host"));
        }
    }

    @Test
    void aStepThatMountsAStageRunsAgainWhenTheStageChanges() throws Exception {
        assertEquals("1\n", build("mount-from-changes", request -> request.buildArg("V", "1")).file("copied"));
        assertEquals("2\n", build("mount-from-changes", request -> request.buildArg("V", "2")).file("copied"),
                "the mounted stage's content is part of the step's cache key");
        assertEquals("1\n", build("mount-from-changes", request -> request.buildArg("V", "1")).file("copied"));
    }

    @Test
    void ulimitAndShmSizeApplyToEveryRunStep() throws Exception {
        BuiltImage usual = build("limits", request -> { });
        assertEquals("65536\n", usual.file("shm"), "the runtime's 64 MiB");
        BuiltImage limited = build("limits", request -> request.ulimit(Rlimit.parse("nofile=4096:8192"))
                .shmSize(128L << 20));
        assertEquals("4096\n", limited.file("nofile"));
        assertEquals("131072\n", limited.file("shm"), "a new size runs the step again: it is in the key");
        assertFalse(limited.exists("dev/shm"), "the mount leaves no trace");
    }

    @Test
    void memoryAndCpuLimitsApplyToEveryRunStep() throws Exception {
        BuildException killed = assertThrows(BuildException.class, () -> build("memory-limit",
                request -> request.limits(new Limits(16L << 20, 0.5, 0))));
        assertTrue(killed.getMessage().contains("line 2") && killed.getMessage().contains("out of memory"),
                killed.getMessage());
        assertEquals("done\n", build("memory-limit", request -> request.limits(new Limits(256L << 20, 0.5, 0)))
                .file("done"), "64 MiB fit in 256");
    }

    @Test
    void networkAndAddHostApplyToEveryRunStepAndLeaveNoTrace() throws Exception {
        BuiltImage isolated = build("network-default", request -> request.network("none")
                .addHost(ExtraHost.parse("db.internal:10.1.2.3")).addHost(ExtraHost.parse("gw=host-gateway"))
                .addHost(ExtraHost.parse("v6.internal:fd00::1")));
        assertEquals("lo\n", isolated.file("default"), "--network none is the steps' default");
        assertEquals("127.0.0.1\tlocalhost buildkitsandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "10.1.2.3\tdb.internal\n127.0.0.1\tgw\nfd00::1\tv6.internal\n", isolated.file("hosts"));
        assertFalse(isolated.exists("etc/hosts"), "the hosts file is mounted, not written into a layer");

        BuiltImage shared = build("network-default", request -> request.network("host")
                .addHost(ExtraHost.parse("db.internal:10.1.2.3")));
        try (var interfaces = Files.list(Path.of("/sys/class/net"))) {
            assertEquals(interfaces.map(path -> path.getFileName() + "\n").sorted().collect(Collectors.joining()),
                    shared.file("default"), "--network host needs no --allow, as with buildx");
        }
        String hostFile = Files.readString(Path.of("/etc/hosts"));
        assertEquals(hostFile + (hostFile.endsWith("\n") ? "" : "\n") + "10.1.2.3\tdb.internal\n", shared.file("hosts"),
                "a step on the host's network sees the host's names and the added ones");
    }

    private static long capabilities(String line) {
        return Long.parseUnsignedLong(line.substring(line.indexOf(':') + 1).strip(), 16);
    }

    @Test
    void sshAgentIsReachableFromTheStepAndLeavesNoTrace() throws Exception {
        try (SshAgent agent = SshAgent.start(tmp.resolve("agent"))) {
            Path context = Files.createDirectories(tmp.resolve("ssh-context"));
            SshAgent.copySshAdd(context.resolve("hostssh"));
            BuiltImage image = build("ssh", context, request -> request.ssh("default", agent.socket()));
            assertEquals("/run/buildkit/ssh_agent.0\n", image.file("agent-path"));
            assertEquals("600\n", image.file("agent-mode"), "the step's socket has the mount's default mode");
            assertTrue(image.file("agent-keys").contains(agent.fingerprint()),
                    "ssh-add -l inside the step lists the agent's key: " + image.file("agent-keys"));
            assertTrue(image.file("home/app/agent-keys").contains(agent.fingerprint()),
                    "a step running as app reaches the agent through a socket app owns: " + image.file("home/app/agent-keys"));
            for (List<String> layer : image.layerEntries()) {
                for (String entry : layer) {
                    assertFalse(entry.startsWith("run/buildkit") || entry.startsWith("hostssh")
                            || entry.equals("home/app/agent.sock"), "leaked: " + entry);
                }
            }
            String config = new String(image.config().toJson(), StandardCharsets.UTF_8);
            assertFalse(config.contains(agent.socket().toString()), "the host socket is not in the config: " + config);
            assertTrue(image.config().config().env().stream().noneMatch(entry -> entry.startsWith("SSH_AUTH_SOCK=")),
                    "the agent's variable is not in the image's Env: " + config);
        }
    }

    @Test
    void requiredSshAgentThatWasNotGivenFailsNamingTheFlag() throws IOException {
        Path context = Files.createDirectories(tmp.resolve("ssh-context/hostssh")).getParent();
        BuildException error = assertThrows(BuildException.class, () -> build("ssh", context, request -> { }));
        assertTrue(error.getMessage().contains("line 3") && error.getMessage().contains("--ssh default"),
                error.getMessage());
    }

}
