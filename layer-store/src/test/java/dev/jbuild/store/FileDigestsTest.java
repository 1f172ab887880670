package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestsTest {
    /** A time at which files written by the test count as settled, so their digests are remembered. */
    private static final Duration LATER = FileDigests.SETTLED.plusSeconds(1);

    @TempDir
    Path dir;

    private Path context;
    private Path record;

    @BeforeEach
    void context() throws IOException {
        context = Files.createDirectories(dir.resolve("context"));
        record = dir.resolve("store/file-digests/record");
    }

    private FileDigests open(boolean reuse) {
        return FileDigests.open(context, record, reuse, Instant.now().plus(LATER));
    }

    private static Digest digest(FileDigests digests, Path file) throws IOException {
        return digests.digest(file, FileDigests.Identity.of(file));
    }

    private static Digest sha256(String text) {
        return Digest.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRememberedDigestIsUsedWithoutReadingTheUnchangedFile() throws IOException {
        Path file = Files.writeString(context.resolve("a.txt"), "one\n");
        FileDigests first = open(true);
        assertEquals(sha256("one\n"), digest(first, file));
        first.save();
        assertTrue(Files.isRegularFile(record));

        // the record now says other bytes for the same file: what is returned comes from it, not the file
        Files.write(record, forge(Files.readAllBytes(record)));
        assertEquals(sha256("forged"), digest(open(true), file));
        assertEquals(sha256("one\n"), digest(open(false), file), "without reuse every file is read again");
    }

    @Test
    void aFileRewrittenWithTheSameSizeAndMtimeIsReadAgain() throws IOException {
        Path file = Files.writeString(context.resolve("a.txt"), "one\n");
        FileTime mtime = Files.getLastModifiedTime(file);
        FileDigests first = open(true);
        digest(first, file);
        first.save();

        Files.writeString(file, "two\n");
        Files.setLastModifiedTime(file, mtime);
        assertEquals(sha256("two\n"), digest(open(true), file), "the ctime changed with the content");
    }

    @Test
    void aFileThatChangedJustNowIsNotRemembered() throws IOException {
        Path file = Files.writeString(context.resolve("a.txt"), "one\n");
        FileDigests now = FileDigests.open(context, record, true, Instant.now());
        assertEquals(sha256("one\n"), digest(now, file));
        now.save();
        assertFalse(Files.exists(record), "a change within the timestamps' granularity could follow unseen");
    }

    @Test
    void savingKeepsWhatIsStillTrueAndDropsWhatIsGone() throws IOException {
        Path kept = Files.writeString(context.resolve("kept.txt"), "kept\n");
        Path removed = Files.writeString(context.resolve("removed.txt"), "removed\n");
        FileDigests first = open(true);
        digest(first, kept);
        digest(first, removed);
        first.save();

        Files.delete(removed);
        Path added = Files.writeString(context.resolve("added.txt"), "added\n");
        FileDigests second = open(true);
        digest(second, added);
        second.save();

        FileDigests third = open(true);
        third.save();
        String saved = new String(Files.readAllBytes(record), StandardCharsets.ISO_8859_1);
        assertTrue(saved.contains("kept.txt"), "an unchanged file not copied this time stays remembered");
        assertTrue(saved.contains("added.txt"));
        assertFalse(saved.contains("removed.txt"));
    }

    @Test
    void aBuildThatAsksForNoDigestLeavesTheRecordAsItWas() throws IOException {
        Path file = Files.writeString(context.resolve("a.txt"), "one\n");
        FileDigests first = open(true);
        digest(first, file);
        first.save();
        byte[] before = Files.readAllBytes(record);
        Files.delete(file);

        open(true).save();
        assertTrue(Arrays.equals(before, Files.readAllBytes(record)), "not read, not checked, not written");
        FileDigests asking = open(true);
        digest(asking, Files.writeString(context.resolve("b.txt"), "two\n"));
        asking.save();
        String saved = new String(Files.readAllBytes(record), StandardCharsets.ISO_8859_1);
        assertFalse(saved.contains("a.txt"), "a build that read the record drops what is gone");
    }

    @Test
    void filesOutsideTheDirectoryAreHashedButNotRemembered() throws IOException {
        Path outside = Files.writeString(dir.resolve("outside.txt"), "outside\n");
        FileDigests digests = open(true);
        assertEquals(sha256("outside\n"), digest(digests, outside));
        digests.save();
        assertFalse(Files.exists(record));
    }

    @Test
    void aTornOrForeignRecordIsIgnored() throws IOException {
        Path file = Files.writeString(context.resolve("a.txt"), "one\n");
        FileDigests first = open(true);
        digest(first, file);
        first.save();
        byte[] forged = forge(Files.readAllBytes(record));
        Files.write(record, forged);
        assertEquals(sha256("forged"), digest(open(true), file), "the forged record is read");

        Files.write(record, Arrays.copyOf(forged, forged.length - 1));
        assertEquals(sha256("one\n"), digest(open(true), file), "a torn record is not");
        Files.writeString(record, "not a record");
        assertEquals(sha256("one\n"), digest(open(true), file), "nor is one in another format");

        Files.write(record, forged);
        Path moved = Files.move(context, dir.resolve("moved"));
        FileDigests elsewhere = FileDigests.open(moved, record, true, Instant.now().plus(LATER));
        assertEquals(sha256("one\n"), digest(elsewhere, moved.resolve("a.txt")),
                "nor one of another directory, though the moved file kept its identity");
    }

    private static byte[] forge(byte[] record) {
        return new String(record, StandardCharsets.ISO_8859_1)
                .replace(sha256("one\n").encoded(), sha256("forged").encoded()).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void pruneRemovesRecordsOfDirectoriesThatAreGone() throws IOException {
        Store store = Store.open(dir.resolve("store"));
        Path gone = Files.createDirectories(dir.resolve("gone"));
        Path file = Files.writeString(gone.resolve("a.txt"), "a\n");
        Path kept = Files.writeString(context.resolve("b.txt"), "b\n");
        for (Path[] directoryAndFile : new Path[][] {{gone, file}, {context, kept}}) {
            FileDigests digests = FileDigests.open(directoryAndFile[0],
                    store.root().resolve("file-digests").resolve(directoryAndFile[0].getFileName().toString()), true,
                    Instant.now().plus(LATER));
            digest(digests, directoryAndFile[1]);
            digests.save();
        }
        Files.delete(file);
        Files.delete(gone);

        PruneReport report = store.prune(Duration.ZERO);
        assertEquals(1, report.leftoversRemoved(), report.toString());
        assertFalse(Files.exists(store.root().resolve("file-digests/gone")));
        assertTrue(Files.exists(store.root().resolve("file-digests/context")));
    }
}
