package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.runtime.internal.Cgroups;
import dev.jbuild.runtime.internal.HostFacts;
import dev.jbuild.runtime.internal.RunDirectories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers as root on this host: isolation, overlay encodings, exit codes, limits, timeouts and cleanup. */
class RootContainerIT {
    private static ContainerRuntime runtime;
    private static Path lower;

    @TempDir
    Path tmp;

    @BeforeAll
    static void root() throws IOException {
        assumeTrue(HostFacts.effectiveUid() == 0, "root containers need uid 0 (CI runs as root); rootless ones are in RootlessContainerIT");
        BusyboxRootfs.assumeBusybox();
        Leftovers.useOwnCgroupParent();
        runtime = ContainerRuntime.withIsolation(Isolation.ROOT);
        lower = BusyboxRootfs.create(Files.createTempDirectory("jbuild-lower-"));
        Files.createDirectories(lower.resolve("opt/app/sub"));
        Files.writeString(lower.resolve("opt/app/sub/file"), "from the lower layer\n");
        Files.writeString(lower.resolve("etc/motd"), "lower motd\n");
    }

    @AfterAll
    static void removeLower() throws IOException {
        if (lower != null) {
            RunDirectories.delete(lower);
            Leftovers.removeOwnCgroupParent();
        }
    }

    @AfterEach
    void nothingLeft() throws IOException {
        Leftovers.assertNoneUnder(tmp);
    }

    private Rootfs.Overlay overlay() {
        return new Rootfs.Overlay(List.of(lower), tmp.resolve("upper"), tmp.resolve("work"));
    }

    private BusyboxRootfs.Result sh(String script) {
        return BusyboxRootfs.run(runtime, ContainerSpec.builder(overlay(), List.of("sh", "-c", script)).build());
    }

    @Test
    void commandIsNotPidOneAndSeesNoHostProcess() throws IOException {
        BusyboxRootfs.Result result = sh("echo $$; cat /proc/1/comm; ls /proc | grep -c '^[0-9]'; ulimit -n");
        assertEquals(0, result.status().exitCode(), result.stderr());
        List<String> lines = result.stdout().lines().toList();
        assertEquals("2", lines.get(0), "the command runs under our own init");
        assertTrue(lines.get(1).startsWith("jbuild-init"), lines.get(1));
        assertTrue(Integer.parseInt(lines.get(2)) <= 5, "only the container's processes are visible: " + lines.get(2));
        assertEquals(Long.toString(Math.min(1_048_576, hardOpenFileLimit())), lines.get(3), "Docker's open-file limit, or the host's cap");
    }

    private static long hardOpenFileLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring(26).trim().split("\\s+")[1]);
            }
        }
        throw new IllegalStateException("no open-file limit in /proc/self/limits");
    }

    @Test
    void noInheritedDescriptorsNoBlockedOrIgnoredSignals() {
        BusyboxRootfs.Result result = sh("ls /proc/self/fd | tr '\\n' ' '; grep -E '^Sig(Blk|Ign)' /proc/self/status | tr -s '\\t' ' '");
        assertEquals("0 1 2 3 SigBlk: 0000000000000000\nSigIgn: 0000000000000000\n", result.stdout(), result.stderr());
    }

    @Test
    void commandGetsDockersCapabilitiesUnlessAllAreAsked() throws IOException {
        BusyboxRootfs.Result sandbox = sh("grep CapEff /proc/self/status");
        assertEquals("CapEff:\t00000000a80425fb\n", sandbox.stdout(), sandbox.stderr());
        BusyboxRootfs.Result insecure = BusyboxRootfs.run(runtime, ContainerSpec.builder(overlay(),
                List.of("grep", "CapEff", "/proc/self/status")).allCapabilities(true).build());
        String ours = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElseThrow();
        assertEquals(ours + "\n", insecure.stdout(), "as root without a user namespace: this process's own set");
    }

    @Test
    void resourceLimitsApplyAfterDockersDefault() {
        BusyboxRootfs.Result limited = BusyboxRootfs.run(runtime, ContainerSpec.builder(overlay(),
                List.of("sh", "-c", "ulimit -n; ulimit -Hn; ulimit -Su")).rlimit(Rlimit.parse("nofile=1000:2000"))
                .rlimit(Rlimit.parse("nproc=300")).build());
        assertEquals("1000\n2000\n300\n", limited.stdout(), limited.stderr());
    }

    @Test
    void networkNoneHasOnlyLoopbackAndHostHasMore() {
        BusyboxRootfs.Result none = sh("ls /sys/class/net; ip -o link | wc -l");
        assertEquals("lo\n1\n", none.stdout(), none.stderr());
        BusyboxRootfs.Result host = BusyboxRootfs.run(runtime,
                ContainerSpec.builder(overlay(), List.of("ls", "/sys/class/net")).network(Network.HOST).build());
        assertTrue(host.stdout().lines().count() > 1, "host network shows the host's interfaces: " + host.stdout());
    }

    @Test
    void hostNetworkGetsAPrivateCopyOfTheHostsNameResolution() throws IOException {
        assumeTrue(Files.isRegularFile(Path.of("/etc/resolv.conf")), "this host has no /etc/resolv.conf");
        String hostResolv = Files.readString(Path.of("/etc/resolv.conf"));
        BusyboxRootfs.Result result = BusyboxRootfs.run(runtime, ContainerSpec.builder(overlay(),
                List.of("sh", "-c", "cat /etc/resolv.conf; echo 'nameserver 192.0.2.1' > /etc/resolv.conf")).network(Network.HOST).build());
        assertEquals(hostResolv, result.stdout(), result.stderr());
        assertEquals(hostResolv, Files.readString(Path.of("/etc/resolv.conf")), "the host's file is untouched");
        assertFalse(Files.exists(tmp.resolve("upper/etc/resolv.conf")), "nor does it end up in the layer");
    }

    @Test
    void hostFilesAreInvisibleAndMountsAreRefused() throws IOException {
        Path marker = Files.writeString(tmp.resolve("host-marker"), "secret");
        BusyboxRootfs.Result result = sh("test -e " + marker + " && echo visible; test -e /work && echo visible; "
                + "mount -t tmpfs none /mnt 2>&1 || echo refused; hostname");
        assertFalse(result.stdout().contains("visible"), result.stdout());
        assertTrue(result.stdout().contains("refused"), "mount must fail without CAP_SYS_ADMIN: " + result.stdout());
        assertTrue(result.stdout().endsWith("jbuild\n"), result.stdout());
    }

    @Test
    void writesLandInTheUpperDirectoryAndNeverInTheLower() throws IOException {
        BusyboxRootfs.Result result = sh("echo changed > /etc/motd; echo new > /etc/new; rm /opt/app/sub/file");
        assertEquals(0, result.status().exitCode(), result.stderr());
        assertEquals("lower motd\n", Files.readString(lower.resolve("etc/motd")));
        assertTrue(Files.exists(lower.resolve("opt/app/sub/file")));
        assertFalse(Files.exists(lower.resolve("etc/new")));
        assertEquals("changed\n", Files.readString(tmp.resolve("upper/etc/motd")));
        assertEquals("new\n", Files.readString(tmp.resolve("upper/etc/new")));
    }

    @Test
    void deletionBecomesCharDeviceZeroZeroAndRecreatedDirectoryIsOpaque() throws IOException {
        BusyboxRootfs.Result result = sh("rm /etc/motd; rm -rf /opt/app; mkdir -p /opt/app; echo again > /opt/app/x");
        assertEquals(0, result.status().exitCode(), result.stderr());
        Path whiteout = tmp.resolve("upper/etc/motd");
        int mode = (Integer) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertEquals(0020000, mode & 0170000, "a whiteout is a character device");
        assertEquals(0L, ((Number) Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue());
        // we always mount with userxattr, so the marker is user.overlay.opaque even as root
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(tmp.resolve("upper/opt/app"), UserDefinedFileAttributeView.class);
        assertTrue(xattrs.list().contains("overlay.opaque"), xattrs.list().toString());
        ByteBuffer value = ByteBuffer.allocate(8);
        xattrs.read("overlay.opaque", value);
        assertEquals("y", new String(value.array(), 0, value.position(), StandardCharsets.US_ASCII));
    }

    @Test
    void sixtyFiveLowerLayersAllShowThrough() throws IOException {
        List<Path> layers = new ArrayList<>();
        for (int i = 64; i >= 1; i--) {
            Path layer = tmp.resolve("layers/sha256-" + "0123456789abcdef".repeat(4) + "-" + i + "/diff");
            Files.createDirectories(layer.resolve("data"));
            Files.writeString(layer.resolve("data/layer-" + i), Integer.toString(i));
            layers.add(layer);
        }
        layers.add(lower);
        Rootfs.Overlay many = new Rootfs.Overlay(layers, tmp.resolve("upper"), tmp.resolve("work"));
        BusyboxRootfs.Result result = BusyboxRootfs.run(runtime,
                ContainerSpec.builder(many, List.of("sh", "-c", "ls /data | wc -l; cat /data/layer-64")).build());
        assertEquals("64\n64", result.stdout().trim(), result.stderr());
    }

    @Test
    void initReapsOrphanedProcesses() {
        // the inner shell exits at once, so its background child is re-parented to init, which must reap it;
        // an unreaped zombie would stay forever, so the loop below waits for none to remain
        BusyboxRootfs.Result result = sh("sh -c 'sleep 0.1 &'; i=0; "
                + "while [ $i -lt 300 ] && { ps -o stat= | grep -q Z || ps -o comm= | grep -q sleep; }; do sleep 0.1; i=$((i+1)); done; "
                + "ps -o stat= | grep -c Z");
        assertEquals("0\n", result.stdout(), result.stderr());
    }

    @Test
    void exitCodesAndSignalsPassThrough() {
        assertEquals(42, sh("exit 42").status().exitCode());
        ExitStatus killed = sh("kill -KILL $$").status();
        assertEquals(9, killed.signal());
        assertEquals(137, killed.exitCode());
        assertFalse(killed.oomKilled());
        ExitStatus terminated = sh("kill -TERM $$").status();
        assertEquals(15, terminated.signal());
    }

    @Test
    void outputStreamsWhileTheCommandRuns() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        InputStream stdin = new PipedInputStream(feed);
        CompletableFuture<Void> sawReady = new CompletableFuture<>();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        OutputStream stdout = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                seen.write(b);
                if (seen.toString(StandardCharsets.UTF_8).contains("ready\n")) {
                    sawReady.complete(null);
                }
            }
        };
        ContainerSpec spec = ContainerSpec.builder(overlay(), List.of("sh", "-c", "echo ready; read line; echo got $line")).build();
        CompletableFuture<ExitStatus> run = CompletableFuture.supplyAsync(() -> runtime.container(spec).run(stdin, stdout, null));
        // the reply is only sent after "ready" arrived, so the test finishes only if output streams before exit
        sawReady.get(60, TimeUnit.SECONDS);
        feed.write("answer\n".getBytes(StandardCharsets.UTF_8));
        feed.close();
        assertEquals(0, run.get(60, TimeUnit.SECONDS).exitCode());
        assertEquals("ready\ngot answer\n", seen.toString(StandardCharsets.UTF_8));
    }

    @Test
    void timeoutSendsTermThenKillsACommandThatIgnoresIt() {
        ContainerSpec spec = ContainerSpec.builder(overlay(), List.of("sh", "-c", "trap '' TERM; echo started; while true; do sleep 1; done"))
                .timeout(Duration.ofMillis(500), Duration.ofMillis(500)).build();
        BusyboxRootfs.Result result = BusyboxRootfs.run(runtime, spec);
        assertTrue(result.status().timedOut());
        assertEquals(9, result.status().signal());
        assertEquals("started\n", result.stdout());
        assertTrue(result.status().describe().startsWith("timed out"), result.status().describe());
    }

    @Test
    void timeoutStopsACommandThatObeysTerm() {
        ContainerSpec spec = ContainerSpec.builder(overlay(), List.of("sleep", "600"))
                .timeout(Duration.ofMillis(300), Duration.ofSeconds(60)).build();
        ExitStatus status = BusyboxRootfs.run(runtime, spec).status();
        assertTrue(status.timedOut());
        assertEquals(15, status.signal());
    }

    @Test
    void missingCommandIsReportedLikeDocker() {
        ContainerException failure = assertThrows(ContainerException.class, () -> sh("unused").getClass()
                .cast(BusyboxRootfs.run(runtime, ContainerSpec.builder(overlay(), List.of("no-such-tool", "x")).build())));
        assertEquals("exec: \"no-such-tool\": executable file not found in $PATH", failure.getMessage());
        assertEquals(127, failure.exitCode());
        ContainerException absolute = assertThrows(ContainerException.class,
                () -> BusyboxRootfs.run(runtime, ContainerSpec.builder(overlay(), List.of("/nope/tool")).build()));
        assertEquals("exec: \"/nope/tool\": stat /nope/tool: no such file or directory", absolute.getMessage());
    }

    @Test
    void nonExecutableFileIsReportedAsPermissionDenied() {
        ContainerException failure = assertThrows(ContainerException.class,
                () -> BusyboxRootfs.run(runtime, ContainerSpec.builder(overlay(), List.of("/etc/motd")).build()));
        assertEquals("exec: \"/etc/motd\": permission denied", failure.getMessage());
        assertEquals(126, failure.exitCode());
    }

    @Test
    void usersAndGroupsResolveFromTheImage() {
        BusyboxRootfs.Result app = BusyboxRootfs.run(runtime,
                ContainerSpec.builder(overlay(), List.of("sh", "-c", "id; echo $HOME; pwd")).user("app").cwd("/home/app/work").build());
        assertEquals("uid=1000(app) gid=1000(app) groups=10(wheel),1000(app)\n/home/app\n/home/app/work\n", app.stdout(), app.stderr());
        BusyboxRootfs.Result numeric = BusyboxRootfs.run(runtime,
                ContainerSpec.builder(overlay(), List.of("id")).user("4242:65534").build());
        assertEquals("uid=4242 gid=65534(nogroup) groups=65534(nogroup)\n", numeric.stdout(), numeric.stderr());
        ContainerException missing = assertThrows(ContainerException.class, () -> BusyboxRootfs.run(runtime,
                ContainerSpec.builder(overlay(), List.of("id")).user("ghost").build()));
        assertEquals("unable to find user ghost: no matching entries in passwd file", missing.getMessage());
    }

    @Test
    void impossibleMountIsReportedWithItsPath() {
        Path missing = tmp.resolve("no-such-dir");
        ContainerException failure = assertThrows(ContainerException.class, () -> BusyboxRootfs.run(runtime,
                ContainerSpec.builder(overlay(), List.of("true")).mount(new Mount.Bind(missing, "/data", true)).build()));
        assertEquals("bind mount source " + missing + ": No such file or directory", failure.getMessage());
        assertEquals(125, failure.exitCode());
    }

    @Test
    void missingLowerDirectoryIsNamed() {
        Path missing = tmp.resolve("layers/gone/diff");
        Rootfs.Overlay broken = new Rootfs.Overlay(List.of(missing, lower), tmp.resolve("upper"), tmp.resolve("work"));
        ContainerException failure = assertThrows(ContainerException.class,
                () -> BusyboxRootfs.run(runtime, ContainerSpec.builder(broken, List.of("true")).build()));
        assertEquals("overlay lower directory " + missing + ": No such file or directory", failure.getMessage());
    }

    @Test
    void bindTmpfsCacheAndSecretMounts() throws IOException {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.writeString(shared.resolve("in"), "from host\n");
        Path secret = Files.writeString(tmp.resolve("token"), "s3cret\n");
        Path cache = tmp.resolve("cache");
        ContainerSpec spec = ContainerSpec.builder(overlay(), List.of("sh", "-c",
                        "cat /in/in; echo x > /in/out 2>/dev/null || echo read-only; cat /run/secrets/token; "
                                + "echo kept > /var/cache/apt/file; echo t > /scratch/t && grep -c /scratch /proc/mounts"))
                .mount(new Mount.Bind(shared, "/in", true))
                .mount(new Mount.Secret(secret, "/run/secrets/token"))
                .mount(new Mount.Cache(cache, "/var/cache/apt"))
                .mount(new Mount.Tmpfs("/scratch", 1 << 20))
                .build();
        BusyboxRootfs.Result result = BusyboxRootfs.run(runtime, spec);
        assertEquals("from host\nread-only\ns3cret\n1\n", result.stdout(), result.stderr());
        assertEquals("kept\n", Files.readString(cache.resolve("file")));
        assertFalse(Files.exists(tmp.resolve("upper/scratch")), "tmpfs mount point and content are not in the diff");
        assertFalse(Files.exists(tmp.resolve("upper/run")), "the secret's mount point is not in the diff");
        assertFalse(Files.exists(tmp.resolve("upper/in")), "an unused bind mount point is not in the diff");
    }

    @Test
    void symlinkedMountTargetsStayInsideTheRootfs() throws IOException {
        Path victim = Files.createDirectories(tmp.resolve("host-victim"));
        Path layer = Files.createDirectories(tmp.resolve("evil"));
        Files.createSymbolicLink(layer.resolve("escape"), Path.of("/../../../../.." + victim));
        Rootfs.Overlay evil = new Rootfs.Overlay(List.of(layer, lower), tmp.resolve("upper"), tmp.resolve("work"));
        BusyboxRootfs.Result result = BusyboxRootfs.run(runtime, ContainerSpec.builder(evil,
                        List.of("sh", "-c", "touch /escape/planted/file; ls " + victim + "/planted"))
                .mount(new Mount.Tmpfs("/escape/planted", 0)).build());
        assertEquals("file\n", result.stdout(), result.stderr());
        try (var entries = Files.list(victim)) {
            assertEquals(List.of(), entries.toList(), "nothing was created on the host through the symlink");
        }
    }

    @Test
    void mountPointsTheCommandUsedStayInTheDiff() throws IOException {
        ContainerSpec spec = ContainerSpec.builder(overlay(), List.of("sh", "-c", "echo kept > /mnt/data/../keep; mkdir -p /mnt/data"))
                .mount(new Mount.Tmpfs("/mnt/data", 0)).build();
        assertEquals(0, BusyboxRootfs.run(runtime, spec).status().exitCode());
        assertEquals("kept\n", Files.readString(tmp.resolve("upper/mnt/keep")));
        assertFalse(Files.exists(tmp.resolve("upper/mnt/data")), "the unused mount point itself is removed");
    }

    @Test
    void memoryLimitHitIsReportedAsOutOfMemory() {
        ContainerSpec spec = ContainerSpec.builder(overlay(), List.of("dd", "if=/dev/zero", "of=/dev/null", "bs=256M", "count=1"))
                .limits(new Limits(32L << 20, 0, 0)).build();
        ExitStatus status = BusyboxRootfs.run(runtime, spec).status();
        assertTrue(status.oomKilled(), status.toString());
        assertEquals(9, status.signal());
        assertTrue(status.describe().contains("out of memory"), status.describe());
    }

    @Test
    void limitsAreWrittenToTheContainersOwnCgroupsWhileItRuns() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        InputStream stdin = new PipedInputStream(feed);
        CompletableFuture<Void> started = new CompletableFuture<>();
        OutputStream stdout = new OutputStream() {
            @Override
            public void write(int b) {
                started.complete(null);
            }
        };
        ContainerSpec spec = ContainerSpec.builder(overlay(), List.of("sh", "-c", "echo started; read line"))
                .limits(new Limits(96L << 20, 0.25, 64)).build();
        CompletableFuture<ExitStatus> run = CompletableFuture.supplyAsync(() -> runtime.container(spec).run(stdin, stdout, null));
        started.get(60, TimeUnit.SECONDS);
        assertEquals(Long.toString(96L << 20), readOnlyCgroupFile("memory", "memory.limit_in_bytes"));
        assertEquals("64", readOnlyCgroupFile("pids", "pids.max"));
        assertEquals("25000", readOnlyCgroupFile("cpu", "cpu.cfs_quota_us"));
        feed.write("done\n".getBytes(StandardCharsets.UTF_8));
        feed.close();
        assertEquals(0, run.get(60, TimeUnit.SECONDS).exitCode());
    }

    /** The content of {@code file} in the only container cgroup of this JVM under {@code controller} (cgroup v1 here). */
    private static String readOnlyCgroupFile(String controller, String file) throws IOException {
        Path parent = Path.of("/sys/fs/cgroup", controller, Cgroups.parentName());
        assumeTrue(Files.isDirectory(parent), "cgroup v1 controller " + controller + " is not mounted here");
        try (var children = Files.list(parent)) {
            List<Path> groups = children.filter(Files::isDirectory).toList();
            assertEquals(1, groups.size(), groups.toString());
            return Files.readString(groups.getFirst().resolve(file)).trim();
        }
    }

    @Test
    void forkBombStopsAtThePidsLimit() {
        ContainerSpec spec = ContainerSpec.builder(overlay(), List.of("sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 1; echo survived"))
                .limits(new Limits(0, 0.5, 40)).timeout(Duration.ofSeconds(60), Duration.ofSeconds(1)).build();
        BusyboxRootfs.Result result = BusyboxRootfs.run(runtime, spec);
        // the container ends on its own (busybox sh may itself die of a failed fork before "survived"), the
        // limit is what stopped the bomb, and @AfterEach finds no process or cgroup left
        assertFalse(result.status().timedOut(), result.status().toString());
        assertTrue(result.stderr().contains("can't fork"), result.stderr());
    }

    @Test
    void directoryRootfsRunsInPlace() throws IOException {
        Path directory = Files.createDirectories(tmp.resolve("dir/bin"));
        Files.copy(BusyboxRootfs.BUSYBOX, directory.resolve("sh"));
        ContainerSpec spec = ContainerSpec.builder(new Rootfs.Directory(directory.getParent()),
                List.of("/bin/sh", "-c", "echo hi > /hi")).build();
        assertEquals(0, BusyboxRootfs.run(runtime, spec).status().exitCode());
        assertEquals("hi\n", Files.readString(directory.getParent().resolve("hi")));
    }
}
