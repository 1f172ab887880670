package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Image;
import dev.jbuild.oci.Platform;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StoreCommandsTest {
    @TempDir
    Path dir;

    Path store;
    Path rootfs;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void rootfs() throws IOException {
        store = dir.resolve("store");
        rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/os-release"), "NAME=test\n");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.writeString(rootfs.resolve("bin/hello"), "#!/bin/sh\necho hello\n");
    }

    private Run jbuild(String... args) {
        return jbuildIn(store, args);
    }

    private static Run jbuildIn(Path store, String... args) {
        CommandLine commandLine = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("--root", store.toString()));
        all.addAll(List.of(args));
        int code = commandLine.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void importADirectoryThenListInspectTagRemoveAndPrune() throws IOException {
        Run imported = jbuild("import", rootfs.toString(), "example/rootfs:1");
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().startsWith("sha256:"), imported.out());

        Run images = jbuild("images");
        assertEquals(0, images.exitCode(), images.err());
        String[] lines = images.out().split("\n");
        assertTrue(lines[0].startsWith("REPOSITORY"), images.out());
        assertTrue(lines[1].startsWith("example/rootfs"), images.out());
        assertTrue(lines[1].contains(" 1 "), images.out());
        assertTrue(lines[1].contains(Platform.current().format()), images.out());

        Run inspect = jbuild("inspect", "example/rootfs:1");
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().startsWith("{\"Name\":\"example/rootfs:1\",\"Digest\":\"" + imported.out().strip()),
                inspect.out());
        assertTrue(inspect.out().contains("\"Config\":{"), inspect.out());
        assertTrue(inspect.out().contains("\"architecture\":\"" + Platform.current().architecture() + "\""),
                inspect.out());

        Run history = jbuild("history", "example/rootfs:1");
        assertEquals(0, history.exitCode(), history.err());
        List<String> steps = history.out().lines().toList();
        assertEquals(2, steps.size(), history.out());
        assertTrue(steps.get(0).matches("CREATED +CREATED BY +SIZE +COMMENT"), steps.get(0));
        long layerSize = Store.open(store).image("example/rootfs:1").layers().getFirst().size();
        assertTrue(steps.get(1).contains(" " + ImagesCommand.humanSize(layerSize) + " "), history.out());

        Path saved = dir.resolve("saved.tar");
        Run save = jbuild("save", "-o", saved.toString(), "example/rootfs:1");
        assertEquals(0, save.exitCode(), save.err());
        Path elsewhere = dir.resolve("other-store");
        Run load = jbuildIn(elsewhere, "load", "-i", saved.toString());
        assertEquals(0, load.exitCode(), load.err());
        assertEquals("Loaded image: example/rootfs:1\n", load.out());
        assertEquals(Store.open(store).resolve("example/rootfs:1").digest(),
                Store.open(elsewhere).resolve("example/rootfs:1").digest(), "the same image, by digest");

        assertEquals(0, jbuild("tag", "example/rootfs:1", "localhost:5000/copy:2").exitCode());
        assertEquals("example/rootfs:1\nlocalhost:5000/copy:2\n", jbuild("images", "-q").out());

        Run rmi = jbuild("rmi", "example/rootfs:1");
        assertEquals(0, rmi.exitCode(), rmi.err());
        assertEquals("Untagged: example/rootfs:1\n", rmi.out());
        assertEquals(0, jbuild("prune", "--all").exitCode());
        Store opened = Store.open(store);
        Image image = opened.image("localhost:5000/copy:2");
        List<Path> diffs = opened.unpackedLayers(image);
        assertEquals("NAME=test\n", Files.readString(diffs.getFirst().resolve("etc/os-release")));

        assertEquals(0, jbuild("rmi", imported.out().strip()).exitCode());
        Run pruned = jbuild("prune", "--all");
        assertTrue(pruned.out().startsWith("Removed 3 blobs"), pruned.out());
        assertTrue(pruned.out().contains("1 unpacked layers"), pruned.out());
        assertEquals("", jbuild("images", "-q").out());
    }

    @Test
    void importTarballsWithAPlatform() throws Exception {
        Path tar = dir.resolve("rootfs.tar");
        run("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".");
        run("gzip", "-k", tar.toString());
        Run plain = jbuild("import", "--platform", "linux/arm64/v8", tar.toString(), "plain");
        assertEquals(0, plain.exitCode(), plain.err());
        Run gzip = jbuild("import", "--platform", "linux/arm64", tar + ".gz", "gzipped");
        assertEquals(0, gzip.exitCode(), gzip.err());

        Store opened = Store.open(store);
        Image plainImage = opened.image("plain", Platform.parse("linux/arm64"));
        Image gzipImage = opened.image("gzipped", Platform.parse("linux/arm64"));
        assertEquals("arm64", plainImage.config().architecture());
        assertEquals("v8", plainImage.config().variant());
        assertEquals(plainImage.layers().getFirst().diffId(), gzipImage.layers().getFirst().diffId(),
                "the same tar gives the same diffID, compressed by us or by gzip");
        assertEquals(Files.size(Path.of(tar + ".gz")), gzipImage.layers().getFirst().size(),
                "a compressed tarball is stored as it is");
        assertEquals("#!/bin/sh\necho hello\n",
                Files.readString(opened.unpackedLayers(plainImage).getFirst().resolve("bin/hello")));
    }

    @Test
    void fsckExitsFourOnDamage() throws IOException {
        assertEquals(0, jbuild("import", rootfs.toString(), "app").exitCode());
        Run clean = jbuild("fsck");
        assertEquals(0, clean.exitCode(), clean.out());
        assertTrue(clean.out().contains("checked 3 blobs"), clean.out());
        assertTrue(clean.out().strip().endsWith(": ok"), clean.out());

        Image image = Store.open(store).image("app");
        Path layer = store.resolve(image.layers().getFirst().digest().layoutPath());
        Files.write(layer, new byte[] {1, 2, 3});
        Run damaged = jbuild("fsck");
        assertEquals(4, damaged.exitCode());
        assertTrue(damaged.out().startsWith("truncated blob " + image.layers().getFirst().digest()), damaged.out());
        assertFalse(Files.exists(layer));
    }

    @Test
    void errorsHaveTheirExitCodes() throws IOException {
        Run missing = jbuild("inspect", "nothing:here");
        assertEquals(4, missing.exitCode());
        assertTrue(missing.err().startsWith("error: no image nothing:here in the store"), missing.err());
        Run badName = jbuild("tag", "nothing", "Bad Name");
        assertEquals(2, badName.exitCode());
        Run rmiMissing = jbuild("rmi", "nothing");
        assertEquals(4, rmiMissing.exitCode());
        assertTrue(rmiMissing.err().contains("no such image in the store: nothing"), rmiMissing.err());
        Path notTar = dir.resolve("not.tar");
        Files.writeString(notTar, "just text");
        Run badImport = jbuild("import", notTar.toString(), "x");
        assertEquals(4, badImport.exitCode());
        assertTrue(badImport.err().contains("not a tar archive"), badImport.err());
        Path gzippedText = dir.resolve("text.gz");
        try (var gzip = new GZIPOutputStream(Files.newOutputStream(gzippedText))) {
            for (int i = 0; i < 200_000; i++) {
                gzip.write(("line " + i + " of a text file, not a tar archive\n").getBytes());
            }
        }
        Run badCompressedImport = jbuild("import", gzippedText.toString(), "x");
        assertEquals(4, badCompressedImport.exitCode());
        assertTrue(badCompressedImport.err().contains("not a tar archive"), badCompressedImport.err());
        assertEquals("", jbuild("images", "-q").out());
        Run badPlatform = jbuild("import", "--platform", "linux//x", rootfs.toString(), "x");
        assertEquals(2, badPlatform.exitCode());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }

    @Test
    void pruneWithCacheMountsRemovesTheRunCacheDirectories() throws IOException {
        assertEquals(0, jbuild("import", rootfs.toString(), "example/rootfs:1").exitCode());
        Path cache = Files.createDirectories(store.resolve("build-mounts").resolve("a".repeat(64)));
        Files.write(cache.resolve("downloaded.bin"), new byte[2048]);

        Run plain = jbuild("prune");
        assertFalse(plain.out().contains("cache mounts"), plain.out());
        assertTrue(Files.exists(cache.resolve("downloaded.bin")), "plain prune keeps cache mounts");

        Run pruned = jbuild("prune", "--cache-mounts");
        assertEquals(0, pruned.exitCode(), pruned.err());
        assertTrue(pruned.out().contains("Removed 1 cache mounts (2.0kB)"), pruned.out());
        assertFalse(Files.exists(cache));
    }
}
