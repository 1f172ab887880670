package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.oci.Layer;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end COPY/ADD builds whose sources need more than plain files: hard links between sources. */
class CopySourcesIT {
    @TempDir
    Path tmp;

    private Store store;

    @BeforeEach
    void storeWithBusybox() throws IOException {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "builds write root-owned layers: they need root (CI runs as root)");
        BusyboxImage.assumeBusybox();
        store = Store.open(tmp.resolve("store"));
        BusyboxImage.importInto(store, tmp);
    }

    @AfterEach
    void removeTrees() throws IOException {
        try (var children = Files.list(tmp)) {
            for (Path child : children.toList()) {
                dev.jbuild.builder.internal.Trees.delete(child);
            }
        }
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

    private BuildResult build(Path context, String caseName, String tag) throws BuildException, IOException {
        return Builder.create(store).build(BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.File(BuildCasesIT.CASES.resolve(caseName + "/Dockerfile")))
                .tag(tag).build());
    }

    /** The top layer's tar entries by name. */
    static Map<String, TarArchiveEntry> lastLayer(List<Layer> layers) throws IOException {
        Map<String, TarArchiveEntry> entries = new TreeMap<>();
        try (InputStream blob = layers.getLast().compressed();
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(blob))) {
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
