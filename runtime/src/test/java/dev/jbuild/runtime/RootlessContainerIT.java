package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.runtime.internal.HostFacts;
import dev.jbuild.runtime.internal.RunDirectories;
import dev.jbuild.runtime.internal.SubordinateIds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rootless containers, run by a JVM started as an unprivileged user that this test creates (useradd, with a
 * subordinate id range), the way a developer without root uses jbuild.
 */
class RootlessContainerIT {
    private static final String USER = "jbuildtest";
    private static Path home;
    private static Path classPath;
    private static int uid;
    private static SubordinateIds subuid;

    @BeforeAll
    static void createUser() throws IOException {
        assumeTrue(HostFacts.effectiveUid() == 0, "creating the unprivileged test user needs root (CI runs as root)");
        BusyboxRootfs.assumeBusybox();
        assumeTrue(HostFacts.onPath("useradd").isPresent() && HostFacts.onPath("setpriv").isPresent(),
                "needs useradd and setpriv to run a JVM as an unprivileged user");
        assumeTrue(HostFacts.onPath("newuidmap").isPresent(), "needs newuidmap/newgidmap (apt-get install uidmap)");
        if (BusyboxRootfs.run("id", "-u", USER).trim().matches("\\d+")) {
            uid = Integer.parseInt(BusyboxRootfs.run("id", "-u", USER).trim());
        } else {
            BusyboxRootfs.run("useradd", "-m", "-U", USER);
            uid = Integer.parseInt(BusyboxRootfs.run("id", "-u", USER).trim());
        }
        if (SubordinateIds.find(Path.of("/etc/subuid"), USER, uid).isEmpty()) {
            BusyboxRootfs.run("usermod", "--add-subuids", "300000-365535", "--add-subgids", "300000-365535", USER);
        }
        subuid = SubordinateIds.find(Path.of("/etc/subuid"), USER, uid).orElseThrow();
        home = Files.createTempDirectory("jbuild-rootless-");
        classPath = home.resolve("classpath");
        List<String> entries = new ArrayList<>();
        int index = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path copy = classPath.resolve(index++ + "-" + source.getFileName());
            copyTree(source, copy);
            entries.add(copy.toString());
        }
        Files.writeString(home.resolve("classpath.txt"), String.join(":", entries));
        BusyboxRootfs.create(home.resolve("lower"));
        BusyboxRootfs.run("chmod", "-R", "a+rX", home.toString());
        BusyboxRootfs.run("chown", "-R", USER + ":" + USER, home.toString());
    }

    @AfterEach
    void nothingLeft() throws IOException {
        Leftovers.assertNoneUnder(home);
    }

    @AfterAll
    static void cleanUp() {
        if (home != null) {
            RunDirectories.delete(home);
        }
    }

    private record Outcome(String result, String stdout, String stderr) {
    }

    private static Outcome runAsUser(Isolation isolation, String user, String script, String name) throws Exception {
        return runDriver(name, isolation.name(), home.resolve("lower").toString(), home.resolve(name).resolve("upper").toString(),
                home.resolve(name).resolve("work").toString(), user, script);
    }

    private static Outcome runDriver(String name, String... driverArgs) throws Exception {
        Path run = Files.createDirectories(home.resolve(name));
        BusyboxRootfs.run("chown", USER + ":" + USER, run.toString());
        Path result = run.resolve("result");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups",
                "--reset-env", java.toString(), "-cp", Files.readString(home.resolve("classpath.txt")), "-Duser.home=" + home,
                "-Djava.io.tmpdir=" + run, RootlessDriver.class.getName(), result.toString()));
        command.addAll(List.of(driverArgs));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                err.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        assertTrue(Files.exists(result), "the driver JVM wrote no result: " + err.get());
        return new Outcome(Files.readString(result), out, err.get());
    }

    @Test
    void subuidRangeMapsRootToTheUserAndLetsChownWork() throws Exception {
        Outcome outcome = runAsUser(Isolation.ROOTLESS_SUBUID, "0",
                "cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //'; mkdir /owned; chown 1000:1000 /owned; stat -c %u:%g /owned; "
                        + "echo $$; ls /sys/class/net; rm -rf /home; mkdir /home", "subuid");
        assertEquals("exit 0", outcome.result(), outcome.stderr());
        assertEquals(List.of("0 " + uid + " 1", "1 " + subuid.start() + " " + subuid.count(), "1000:1000", "2", "lo"),
                outcome.stdout().lines().toList());
        Path owned = home.resolve("subuid/upper/owned");
        int hostUid = (Integer) Files.getAttribute(owned, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        assertEquals(subuid.start() + 999, hostUid, "id 1000 inside is subuid start + 999 outside");
        List<IdMap> map = List.of(new IdMap(0, uid, 1), new IdMap(1, subuid.start(), subuid.count()));
        assertEquals(1000, IdMap.toContainer(map, hostUid), "the builder maps it back");
        assertEquals(0, IdMap.toContainer(map, uid));
        assertEquals(-1, IdMap.toContainer(map, 12));
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(home.resolve("subuid/upper/home"), UserDefinedFileAttributeView.class);
        ByteBuffer value = ByteBuffer.allocate(8);
        xattrs.read("overlay.opaque", value);
        assertEquals("y", new String(value.array(), 0, value.position(), StandardCharsets.US_ASCII));
    }

    @Test
    void subuidRangeRunsAsAnImageUser() throws Exception {
        Outcome outcome = runAsUser(Isolation.ROOTLESS_SUBUID, "app", "id -u; touch /tmp/mine; stat -c %u /tmp/mine", "subuid-user");
        assertEquals("exit 0", outcome.result(), outcome.stderr());
        assertEquals("1000\n1000\n", outcome.stdout());
    }

    @Test
    void oneUidMapRunsAsRootButCannotChownToOtherIds() throws Exception {
        Outcome outcome = runAsUser(Isolation.ROOTLESS_ONE_UID, "0",
                "cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //'; touch /f; chown 1000 /f || echo chown-refused; echo $$", "one-uid");
        assertEquals("exit 0", outcome.result(), outcome.stderr());
        assertEquals(List.of("0 " + uid + " 1", "chown-refused", "2"), outcome.stdout().lines().toList());
        assertTrue(outcome.stderr().contains("Invalid argument"), outcome.stderr());
    }

    @Test
    void oneUidMapSaysWhyAnotherUserCannotRun() throws Exception {
        Outcome outcome = runAsUser(Isolation.ROOTLESS_ONE_UID, "app", "id", "one-uid-user");
        assertEquals("error 125 user 1000:1000 is not mapped in this user namespace (rootless with a one-uid map runs only as root)",
                outcome.result());
    }

    @Test
    void ladderStepsDownToSubuidAndSaysWhy() throws Exception {
        Outcome outcome = runDriver("info", "INFO");
        assertEquals("ROOTLESS_SUBUID\nnot root: root isolation needs uid 0 (running as uid " + uid + ")\n"
                + List.of(new IdMap(0, uid, 1), new IdMap(1, subuid.start(), subuid.count())), outcome.result());
    }

    @Test
    void chrootIsolationWithoutTheCapabilityIsRefusedWithTheReason() throws Exception {
        Outcome outcome = runAsUser(Isolation.CHROOT, "0", "true", "forced-chroot");
        assertEquals("error 125 isolation chroot is not available: chroot needs CAP_SYS_CHROOT, which this process does not have",
                outcome.result());
    }

    @Test
    void rootIsolationIsRefusedWithTheReason() throws Exception {
        Outcome outcome = runAsUser(Isolation.ROOT, "0", "true", "forced-root");
        assertEquals("error 125 isolation root is not available: root isolation needs uid 0 (running as uid " + uid + ")",
                outcome.result());
    }

    private static void copyTree(Path source, Path target) throws IOException {
        if (Files.isRegularFile(source)) {
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
