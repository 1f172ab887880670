package dev.jbuild.store.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.function.Predicate;

/** Writes that survive a crash at any instant: data is forced to disk before a rename makes it visible. */
public final class Durable {
    /** Prefix of temporary files beside their target; anything with it is left over from a crash. */
    public static final String TEMP_PREFIX = ".tmp-";

    private Durable() {
    }

    /** Forces a directory's entries (a rename or create inside it) to disk. */
    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Replaces {@code target} with {@code content} atomically: a reader sees the old or the new bytes, never a mix. */
    public static void replaceFile(Path target, byte[] content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = directory.resolve(TEMP_PREFIX + target.getFileName() + "-" + UniqueNames.next());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                out.write(content);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Removes from {@code directory} (a directory of cache records, each replaced with
     * {@link #replaceFile}) the records {@code obsolete} names, and temporary files of replacements older
     * than {@code cutoff}; returns how many it removed.
     */
    public static long removeRecords(Path directory, FileTime cutoff, Predicate<Path> obsolete) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        long removed = 0;
        try (DirectoryStream<Path> records = Files.newDirectoryStream(directory)) {
            for (Path record : records) {
                boolean remove = record.getFileName().toString().startsWith(TEMP_PREFIX)
                        ? Files.getLastModifiedTime(record).compareTo(cutoff) <= 0
                        : obsolete.test(record);
                if (remove && Files.deleteIfExists(record)) {
                    removed++;
                }
            }
        }
        return removed;
    }
}
