package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.runtime.internal.HostFacts;
import dev.jbuild.runtime.internal.RunDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The isolation ladder as detected here, chroot isolation, and external OCI runtimes on the same spec. */
class LadderAndOciIT {
    private static Path lower;

    @TempDir
    Path tmp;

    @BeforeAll
    static void rootfs() throws IOException {
        assumeTrue(HostFacts.effectiveUid() == 0, "these tests run as root (CI runs as root)");
        Leftovers.useOwnCgroupParent();
        lower = BusyboxRootfs.create(Files.createTempDirectory("jbuild-lower-"));
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

    @Test
    void hostInfoAsRootChoosesRootIsolation() {
        HostInfo info = ContainerRuntime.hostInfo();
        assertEquals(Isolation.ROOT, info.isolation());
        assertEquals(List.of(), info.reasons());
        assertEquals(HostFacts.kernelRelease(), info.kernel());
        assertTrue(info.overlay());
        assertFalse(info.cgroups().equals("none"), info.cgroups());
    }

    @Test
    void chrootIsolationRunsInADirectoryWithoutNamespaces() throws IOException {
        ContainerRuntime chroot = ContainerRuntime.withIsolation(Isolation.CHROOT);
        Path directory = Files.createDirectories(tmp.resolve("dir/bin"));
        Files.copy(BusyboxRootfs.BUSYBOX, directory.resolve("sh"));
        BusyboxRootfs.Result result = BusyboxRootfs.run(chroot, ContainerSpec.builder(new Rootfs.Directory(directory.getParent()),
                List.of("/bin/sh", "-c", "/bin/sh -c 'echo hi > /hi'; echo $(/bin/sh -c 'read x < /hi; echo $x')")).build());
        assertEquals("hi\n", result.stdout(), result.stderr());
        assertEquals("chroot isolation cannot mount an overlay rootfs: it needs a directory rootfs",
                assertThrows(ContainerException.class, () -> BusyboxRootfs.run(chroot,
                        ContainerSpec.builder(overlay(), List.of("true")).build())).getMessage());
    }

    @Test
    void runcRunsTheSameSpecFromAnOciBundle() throws IOException {
        assumeTrue(HostFacts.onPath("runc").isPresent(), "runc is not installed (apt-get install runc)");
        assumeTrue(HostFacts.onPath("unshare").isPresent(), "util-linux unshare is missing");
        ContainerRuntime runc = ContainerRuntime.withOciRuntime("runc");
        BusyboxRootfs.Result result = BusyboxRootfs.run(runc, ContainerSpec.builder(overlay(),
                List.of("sh", "-c", "echo $$; ls /sys/class/net; id -u; echo x > /new; exit 3")).user("app").build());
        assertEquals(3, result.status().exitCode(), result.stderr());
        assertEquals("1\nlo\n1000\n", result.stdout().replace("sh: can't create /new: Permission denied\n", ""));
        ExitStatus ok = BusyboxRootfs.run(runc, ContainerSpec.builder(overlay(), List.of("sh", "-c", "echo x > /new")).build()).status();
        assertEquals(0, ok.exitCode());
        assertEquals("x\n", Files.readString(tmp.resolve("upper/new")));
    }

    @Test
    void runcGivesDockersCapabilitiesUnlessAllAreAsked() throws IOException {
        assumeTrue(HostFacts.onPath("runc").isPresent(), "runc is not installed (apt-get install runc)");
        assumeTrue(HostFacts.onPath("unshare").isPresent(), "util-linux unshare is missing");
        ContainerRuntime runc = ContainerRuntime.withOciRuntime("runc");
        List<String> grep = List.of("grep", "CapEff", "/proc/self/status");
        BusyboxRootfs.Result sandbox = BusyboxRootfs.run(runc, ContainerSpec.builder(overlay(), grep).build());
        assertEquals("CapEff:\t00000000a80425fb\n", sandbox.stdout(), sandbox.stderr());
        BusyboxRootfs.Result insecure = BusyboxRootfs.run(runc, ContainerSpec.builder(overlay(), grep)
                .allCapabilities(true).build());
        String ours = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElseThrow();
        assertEquals(ours + "\n", insecure.stdout(), insecure.stderr());
    }

    @Test
    void crunRunsTheSameSpecOrIsReportedUnavailable() {
        assumeTrue(HostFacts.onPath("crun").isPresent(), "crun is not installed (apt-get install crun); "
                + "crun 1.8.1 also refuses hybrid cgroup hosts like this machine kind");
        BusyboxRootfs.Result result = BusyboxRootfs.run(ContainerRuntime.withOciRuntime("crun"),
                ContainerSpec.builder(overlay(), List.of("echo", "from crun")).build());
        assumeTrue(!result.stderr().contains("hybrid mode not supported"), "crun refuses this hybrid cgroup host: " + result.stderr());
        assertEquals("from crun\n", result.stdout(), result.stderr());
    }
}
