package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.MediaType.Compression;
import dev.jbuild.store.internal.fs.Posix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerRoundTripTest {
    @TempDir
    Path temp;

    private Path sampleTree() throws IOException {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/hostname"), "example\n");
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(big);
        Files.write(tree.resolve("usr/bin/tool"), big);
        Posix.chmod(tree.resolve("usr/bin/tool"), 04755);
        Files.writeString(tree.resolve("usr/bin/compressible"), "abc".repeat(200_000));
        Files.createLink(tree.resolve("usr/bin/tool-link"), tree.resolve("usr/bin/tool"));
        Files.createSymbolicLink(tree.resolve("etc/link"), Path.of("../usr/bin/tool"));
        Files.createSymbolicLink(tree.resolve("dangling"), Path.of("/nowhere/at/all"));
        Posix.mknod(tree.resolve("fifo"), Posix.S_IFIFO | 0600, 0, 0);
        Files.createDirectories(tree.resolve("tmp"));
        Posix.chmod(tree.resolve("tmp"), 01777);
        Path longDir = Files.createDirectories(tree.resolve("a".repeat(120) + "/" + "b".repeat(120)));
        Files.writeString(longDir.resolve("c".repeat(90)), "deep");
        Files.writeString(tree.resolve("ünïcode-名前"), "utf8");
        Posix.lsetxattr(tree.resolve("etc/hostname"), "user.origin", "test".getBytes(StandardCharsets.UTF_8));
        if (Posix.euid() == 0) {
            Posix.lchown(tree.resolve("etc/hostname"), 1000, 1001);
            Posix.lchown(tree.resolve("etc/link"), 65534, 65534);
            Posix.lsetxattr(tree.resolve("usr/bin/tool"), "security.capability", capability());
            Posix.mknod(tree.resolve("null"), Posix.S_IFCHR | 0666, 1, 3);
        }
        Posix.lutimes(tree.resolve("etc/link"), 1_500_000_000L, 0);
        Files.setLastModifiedTime(tree.resolve("etc"), FileTime.from(Instant.ofEpochSecond(1_600_000_000L)));
        return tree;
    }

    /** A VFS_CAP_REVISION_2 capability set granting cap_net_bind_service, as setcap writes it. */
    private static byte[] capability() {
        byte[] cap = new byte[20];
        cap[3] = 0x02;
        cap[0] = 0x01;
        cap[5] = 0x04;
        return cap;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void writtenTreeAppliesBackIdentically(Compression compression) throws IOException {
        Path tree = sampleTree();
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        LayerBlob written = LayerWriter.writeDirectory(tree, blob,
                LayerWriteOptions.DEFAULTS.withCompression(compression));
        assertEquals(MediaType.layerType(compression, false), written.mediaType());
        assertEquals(blob.size(), written.size());
        assertEquals(Digest.sha256(blob.toByteArray()), written.digest());

        Path target = Files.createDirectories(temp.resolve("target"));
        ApplyResult applied = LayerApplier.apply(new ByteArrayInputStream(blob.toByteArray()), target,
                ApplyMode.FLATTEN);
        assertEquals(written.diffId(), applied.diffId());
        assertEquals(written.uncompressedSize(), applied.uncompressedSize());
        if (Posix.euid() == 0) {
            assertEquals(java.util.List.of(), applied.warnings());
        }
        assertEquals(TreeSnapshot.of(tree, true), TreeSnapshot.of(target, true));
    }

    @Test
    void sameInputGivesSameBytesAndSourceDateEpochHidesMtimes() throws IOException {
        Path tree = sampleTree();
        LayerWriteOptions options = LayerWriteOptions.DEFAULTS.withSourceDateEpoch(1_000_000_000L);
        LayerBlob first = LayerWriter.writeDirectory(tree, OutputStream.nullOutputStream(), options);
        LayerBlob second = LayerWriter.writeDirectory(tree, OutputStream.nullOutputStream(), options);
        assertEquals(first, second);

        Files.setLastModifiedTime(tree.resolve("etc/hostname"), FileTime.from(Instant.now()));
        LayerBlob touched = LayerWriter.writeDirectory(tree, OutputStream.nullOutputStream(), options);
        assertEquals(first, touched);

        LayerBlob unclamped = LayerWriter.writeDirectory(tree, OutputStream.nullOutputStream(), LayerWriteOptions.DEFAULTS);
        assertNotEquals(first.diffId(), unclamped.diffId());
        assertTrue(first.size() > 0);
    }

    @Test
    void gzipOutputIsReadableByGnuTar() throws Exception {
        Path tree = sampleTree();
        Path blob = temp.resolve("layer.tar.gz");
        try (var out = Files.newOutputStream(blob)) {
            LayerWriter.writeDirectory(tree, out, LayerWriteOptions.DEFAULTS);
        }
        Process gunzip = new ProcessBuilder("gzip", "-t", blob.toString()).redirectErrorStream(true).start();
        String output = new String(gunzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, gunzip.waitFor(), output);
        Process list = new ProcessBuilder("tar", "tzf", blob.toString()).redirectErrorStream(true).start();
        String listing = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, list.waitFor(), listing);
        assertTrue(listing.contains("usr/bin/tool-link"), listing);
        assertTrue(listing.contains("a".repeat(120) + "/" + "b".repeat(120) + "/" + "c".repeat(90)), listing);
    }
}
