package dev.jbuild.store.internal.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** Our tar writer and reader agree with each other and with commons-compress on PAX extensions. */
class TarFormatTest {
    private static byte[] allByteValues() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        return value;
    }

    private static byte[] write(TarEntry entry, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter writer = new TarWriter(out);
        writer.write(entry, new ByteArrayInputStream(content));
        writer.finish();
        return out.toByteArray();
    }

    @Test
    void paxExtensionsRoundTripWithBinaryXattrValues() throws IOException {
        String longName = "dir-" + "x".repeat(150) + "/näme-" + "y".repeat(120);
        byte[] content = "content".getBytes(StandardCharsets.UTF_8);
        TarEntry entry = new TarEntry(longName, TarEntry.EntryType.REGULAR, 04755, 3_000_000L, 70_000L,
                content.length, 1_700_000_123L, "", 0, 0,
                Map.of("security.capability", allByteValues(), "user.note", "n".getBytes(StandardCharsets.UTF_8)));
        byte[] tar = write(entry, content);

        TarReader reader = new TarReader(new ByteArrayInputStream(tar), 1 << 20);
        TarEntry read = reader.next();
        assertEquals(longName, read.name());
        assertEquals(04755, read.mode());
        assertEquals(3_000_000L, read.uid());
        assertEquals(70_000L, read.gid());
        assertEquals(1_700_000_123L, read.mtimeSeconds());
        assertArrayEquals(allByteValues(), read.xattrs().get("security.capability"));
        byte[] data = new byte[64];
        int n = reader.read(data, 0, data.length);
        assertEquals("content", new String(data, 0, n, StandardCharsets.UTF_8));
        assertNull(reader.next());

        try (TarArchiveInputStream other = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry theirs = other.getNextEntry();
            assertEquals(longName, theirs.getName());
            assertEquals(3_000_000L, theirs.getLongUserId());
            assertEquals("", theirs.getUserName());
        }
    }

    @Test
    void sameEntryGivesSameBytes() throws IOException {
        TarEntry entry = new TarEntry("a/b", TarEntry.EntryType.SYMLINK, 0777, 0, 0, 0, 5, "../c", 0, 0, Map.of());
        assertArrayEquals(write(entry, new byte[0]), write(entry, new byte[0]));
    }

    @Test
    void readsTarsWrittenByCommonsCompressWithGnuLongNames() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String name = "g".repeat(300);
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_GNU);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(2);
            out.putArchiveEntry(e);
            out.write(new byte[] {'h', 'i'});
            out.closeArchiveEntry();
        }
        TarReader reader = new TarReader(new ByteArrayInputStream(bytes.toByteArray()), 1 << 20);
        TarEntry read = reader.next();
        assertEquals(name, read.name());
        assertEquals(2, read.size());
    }

    @Test
    void idsUpToTheUnsigned32BitLimitRoundTripAndLargerOnesAreRefused() throws IOException {
        TarEntry nobody = new TarEntry("f", TarEntry.EntryType.REGULAR, 0644, 4_294_967_294L, 4_294_967_294L, 0, 0,
                "", 0, 0, Map.of());
        TarEntry read = new TarReader(new ByteArrayInputStream(write(nobody, new byte[0])), 1 << 20).next();
        assertEquals(4_294_967_294L, read.uid());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarWriter writer = new TarWriter(bytes);
        byte[] record = PaxRecords.encode(new java.util.TreeMap<>(Map.of("uid",
                "8589934592".getBytes(StandardCharsets.US_ASCII))));
        writer.write(new TarEntry("././@PaxHeader", TarEntry.EntryType.REGULAR, 0644, 0, 0, record.length, 0, "", 0,
                0, Map.of()), new ByteArrayInputStream(record));
        writer.write(new TarEntry("huge-uid", TarEntry.EntryType.REGULAR, 0644, 0, 0, 0, 0, "", 0, 0, Map.of()),
                InputStream.nullInputStream());
        byte[] tar = bytes.toByteArray();
        tar[156] = 'x';
        fixChecksum(tar, 0);
        dev.jbuild.store.LayerRejectedException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.jbuild.store.LayerRejectedException.class,
                () -> new TarReader(new ByteArrayInputStream(tar), 1 << 20).next());
        assertEquals("huge-uid", e.entry());
    }

    private static void fixChecksum(byte[] tar, int offset) {
        for (int i = 148; i < 156; i++) {
            tar[offset + i] = ' ';
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += tar[offset + i] & 0xff;
        }
        String digits = String.format("%06o", sum);
        for (int i = 0; i < 6; i++) {
            tar[offset + 148 + i] = (byte) digits.charAt(i);
        }
        tar[offset + 154] = 0;
        tar[offset + 155] = ' ';
    }
}
