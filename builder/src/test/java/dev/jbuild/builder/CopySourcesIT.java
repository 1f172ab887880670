package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.oci.Layer;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end COPY/ADD builds beyond plain files: hard links between sources, owners without root. */
class CopySourcesIT {
    private static final String UNPRIVILEGED_USER = "jbuildtest";

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

    @Test
    void hardLinkedSourcesBecomeOneFileAndHardlinkEntriesThatStayLinkedWhenUnpacked() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("links-context"));
        Files.writeString(context.resolve("a.txt"), "shared\n");
        Files.createDirectories(context.resolve("sub"));
        Files.createLink(context.resolve("sub/b.txt"), context.resolve("a.txt"));
        Files.createLink(context.resolve("c.txt"), context.resolve("a.txt"));
        Files.writeString(context.resolve("d.txt"), "shared\n");
        build(context, "hardlinks", "hardlinks:test");

        Map<String, TarArchiveEntry> layer = lastLayer(store.image("hardlinks:test").layers());
        assertTrue(layer.get("links/a.txt").isFile(), "the first path of the inode carries the content");
        assertEquals(7, layer.get("links/a.txt").getSize());
        for (String other : List.of("links/c.txt", "links/sub/b.txt")) {
            assertTrue(layer.get(other).isLink(), other + " is a hardlink entry");
            assertEquals("links/a.txt", layer.get(other).getLinkName());
        }
        assertTrue(layer.get("links/d.txt").isFile(), "equal content is not a link");

        BuiltImage image = BuiltImage.read(store, "hardlinks:test", tmp);
        assertEquals("shared\n", image.file("links/sub/b.txt"));
        assertEquals(3, nlink(image.tree().resolve("links/a.txt")), "our unpack keeps the three names of one inode");
        assertTrue(Files.isSameFile(image.tree().resolve("links/a.txt"), image.tree().resolve("links/sub/b.txt")));
        assertEquals(1, nlink(image.tree().resolve("links/d.txt")));
        assertEquals("0:0", image.owner("links/c.txt"));

        assumeTrue(onPath("umoci"), "umoci is not installed (apt-get install umoci)");
        Path bundle = tmp.resolve("bundle");
        run("umoci", "unpack", "--image", tmp.resolve("store") + ":docker.io/library/hardlinks:test", bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        assertEquals(3, nlink(rootfs.resolve("links/a.txt")), "umoci's unpack keeps them linked too");
        assertTrue(Files.isSameFile(rootfs.resolve("links/a.txt"), rootfs.resolve("links/c.txt")));
        assertEquals("shared\n", Files.readString(rootfs.resolve("links/sub/b.txt")));
    }

    @Test
    void ownersWithoutRootAreRecordedInTheLayerWhileTheFilesOnDiskKeepTheBuildersOwner() throws Exception {
        Optional<Integer> user = uidOf(UNPRIVILEGED_USER);
        assumeTrue(user.isPresent(), "needs the unprivileged user " + UNPRIVILEGED_USER + " to build without CAP_CHOWN");
        Path shared = Files.createDirectories(tmp.resolve("rootless"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path context = Files.createDirectories(shared.resolve("context/owned"));
        Files.createDirectories(context.resolve("sub"));
        Files.writeString(context.resolve("a.txt"), "a\n");
        Files.writeString(context.resolve("sub/b.txt"), "b\n");
        Files.writeString(shared.resolve("context/plain.txt"), "plain\n");
        writeOwnedTar(shared.resolve("context/owned.tar"));
        Path storeRoot = shared.resolve("store");
        BusyboxImage.importInto(Store.open(storeRoot), Files.createDirectories(tmp.resolve("busybox")));
        run("chown", "-R", user.get() + ":" + user.get(), storeRoot.toString());
        Path classPath = Files.createDirectories(shared.resolve("classpath"));
        List<String> entries = new ArrayList<>();
        for (String element : System.getProperty("java.class.path").split(":")) {
            Path path = Path.of(element);
            // the Maven repository is root's alone: the jars go where the build user can read them
            entries.add(Files.isRegularFile(path)
                    ? Files.copy(path, classPath.resolve(entries.size() + "-" + path.getFileName())).toString() : element);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        run("setpriv", "--reuid=" + user.get(), "--regid=" + user.get(), "--clear-groups", "--",
                java, "-cp", String.join(":", entries), RootlessBuild.class.getName(),
                storeRoot.toString(), shared.resolve("context").toString(),
                BuildCasesIT.CASES.resolve("rootless-chown/Dockerfile").toAbsolutePath().toString(), "rootless:test");

        Store built = Store.open(storeRoot);
        List<Layer> layers = built.image("rootless:test").layers();
        Map<String, TarArchiveEntry> owned = lastLayer(layers.subList(0, 2));
        for (String path : List.of("owned", "owned/a.txt", "owned/sub", "owned/sub/b.txt")) {
            assertEquals("1234:5678", owner(owned.get(path)), path);
        }
        assertEquals("1000:1000", owner(lastLayer(layers.subList(0, 3)).get("home/app/plain.txt")), "names resolve in the image");
        assertEquals("0:0", owner(lastLayer(layers.subList(0, 4)).get("root-owned.txt")),
                "context files become root's, not the builder's");
        Map<String, TarArchiveEntry> unpacked = lastLayer(layers);
        assertEquals("4321:8765", owner(unpacked.get("unpacked/dir")), "ADD of a local tar keeps the tar's owners");
        assertEquals("4321:8765", owner(unpacked.get("unpacked/dir/file.txt")));
        assertEquals("42:43", owner(unpacked.get("unpacked/link")));
        Path staged;
        try (Stream<Path> files = Files.walk(storeRoot)) {
            staged = files.filter(p -> p.endsWith("owned/sub/b.txt")).findFirst().orElseThrow();
        }
        assertEquals(user.get(), Files.getAttribute(staged, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                "without CAP_CHOWN the staged file on disk keeps the builder's owner: the layer's owner came from the override");
        BuiltImage image = BuiltImage.read(built, "rootless:test", tmp);
        assertEquals("1234:5678", image.owner("owned/sub/b.txt"));
        assertEquals("0:0", image.owner("root-owned.txt"));
    }

    /** A tar whose entries belong to users that neither the builder nor the image has. */
    private static void writeOwnedTar(Path archive) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            TarArchiveEntry directory = new TarArchiveEntry("dir/");
            directory.setIds(4321, 8765);
            tar.putArchiveEntry(directory);
            tar.closeArchiveEntry();
            byte[] content = "owned\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry file = new TarArchiveEntry("dir/file.txt");
            file.setIds(4321, 8765);
            file.setSize(content.length);
            tar.putArchiveEntry(file);
            tar.write(content);
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("dir/file.txt");
            link.setIds(42, 43);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
    }

    private static Optional<Integer> uidOf(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] fields = line.split(":");
            if (fields.length > 2 && fields[0].equals(name)) {
                return Optional.of(Integer.parseInt(fields[2]));
            }
        }
        return Optional.empty();
    }

    private static String owner(TarArchiveEntry entry) {
        return entry.getLongUserId() + ":" + entry.getLongGroupId();
    }

    private BuildResult build(Path context, String caseName, String tag) throws BuildException, IOException {
        return Builder.create(store).build(BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.File(BuildCasesIT.CASES.resolve(caseName + "/Dockerfile")))
                .tag(tag).build());
    }

    /** The top layer's tar entries by name. */
    static Map<String, TarArchiveEntry> lastLayer(List<Layer> layers) throws IOException {
        Map<String, TarArchiveEntry> entries = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(BuiltImage.tarOf(layers.getLast()))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                entries.put(entry.getName().replaceFirst("/$", ""), entry);
            }
        }
        return entries;
    }

    static int nlink(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    }

    static boolean onPath(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command}, failing with its output when it exits non-zero; returns its output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
