package dev.jbuild.store.internal.tar;

import dev.jbuild.store.FileOwner;
import dev.jbuild.store.LayerChange;
import dev.jbuild.store.internal.fs.FileStat;
import dev.jbuild.store.internal.fs.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Turns a change list into tar entries by the layer conventions: sorted by path component (an
 * opaque marker first in its directory), numeric ids, mtimes clamped to SOURCE_DATE_EPOCH,
 * {@code security.capability} and {@code user.*} xattrs kept (never {@code user.overlay.*}), and
 * later paths of an inode written as hardlinks to its first path.
 */
public final class LayerTarWriter {
    private static final String OPAQUE_MARKER = ".wh..wh..opq";

    private final TarWriter tar;
    private final OptionalLong sourceDateEpoch;
    private final Map<List<Long>, String> firstPathOfInode = new HashMap<>();

    public LayerTarWriter(TarWriter tar, OptionalLong sourceDateEpoch) {
        this.tar = tar;
        this.sourceDateEpoch = sourceDateEpoch;
    }

    /** The changes in the order they are written. */
    public static List<LayerChange> sorted(List<LayerChange> changes) {
        List<LayerChange> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparing(LayerTarWriter::sortKey, LayerTarWriter::compareKeys));
        return sorted;
    }

    /** Writes every change, then the end-of-archive marker. */
    public void writeAll(List<LayerChange> changes) throws IOException {
        for (LayerChange change : sorted(changes)) {
            write(change);
        }
        tar.finish();
    }

    private void write(LayerChange change) throws IOException {
        switch (change) {
            case LayerChange.Whiteout whiteout -> {
                int slash = whiteout.path().lastIndexOf('/');
                String name = whiteout.path().substring(0, slash + 1) + ".wh." + whiteout.path().substring(slash + 1);
                tar.write(marker(name), InputStream.nullInputStream());
            }
            case LayerChange.Opaque opaque ->
                    tar.write(marker(opaque.path() + "/" + OPAQUE_MARKER), InputStream.nullInputStream());
            case LayerChange.Put put -> writePut(put);
        }
    }

    private static TarEntry marker(String name) {
        return new TarEntry(name, TarEntry.EntryType.REGULAR, 0, 0, 0, 0, 0, "", 0, 0, Map.of());
    }

    private void writePut(LayerChange.Put put) throws IOException {
        Path source = put.source();
        FileStat stat = FileStat.of(source);
        long mtime = stat.mtimeSeconds();
        if (sourceDateEpoch.isPresent() && mtime > sourceDateEpoch.getAsLong()) {
            mtime = sourceDateEpoch.getAsLong();
        }
        if (!stat.isDirectory() && stat.links() > 1) {
            List<Long> inode = List.of(stat.device(), stat.inode());
            String first = firstPathOfInode.putIfAbsent(inode, put.path());
            if (first != null) {
                tar.write(new TarEntry(put.path(), TarEntry.EntryType.HARDLINK, stat.mode(), uid(put, stat), gid(put, stat),
                        0, mtime, first, 0, 0, Map.of()), InputStream.nullInputStream());
                return;
            }
        }
        TarEntry.EntryType type;
        String linkName = "";
        switch (stat.type()) {
            case Posix.S_IFREG -> type = TarEntry.EntryType.REGULAR;
            case Posix.S_IFDIR -> type = TarEntry.EntryType.DIRECTORY;
            case Posix.S_IFLNK -> {
                type = TarEntry.EntryType.SYMLINK;
                linkName = Files.readSymbolicLink(source).toString();
            }
            case Posix.S_IFCHR -> type = TarEntry.EntryType.CHAR_DEVICE;
            case Posix.S_IFBLK -> type = TarEntry.EntryType.BLOCK_DEVICE;
            case Posix.S_IFIFO -> type = TarEntry.EntryType.FIFO;
            default -> {
                return;
            }
        }
        long size = type == TarEntry.EntryType.REGULAR ? stat.size() : 0;
        TarEntry entry = new TarEntry(put.path(), type, stat.mode() & 07777, uid(put, stat), gid(put, stat), size, mtime,
                linkName, Posix.major(stat.rdev()), Posix.minor(stat.rdev()), xattrs(source));
        if (size == 0) {
            tar.write(entry, InputStream.nullInputStream());
        } else {
            try (InputStream in = Files.newInputStream(source)) {
                tar.write(entry, in);
            }
        }
    }

    private static long uid(LayerChange.Put put, FileStat stat) {
        return Integer.toUnsignedLong(put.owner().map(FileOwner::uid).orElse(stat.uid()));
    }

    private static long gid(LayerChange.Put put, FileStat stat) {
        return Integer.toUnsignedLong(put.owner().map(FileOwner::gid).orElse(stat.gid()));
    }

    private static Map<String, byte[]> xattrs(Path source) throws IOException {
        Map<String, byte[]> kept = new TreeMap<>();
        for (String name : Posix.llistxattr(source)) {
            if (name.equals("security.capability") || (name.startsWith("user.") && !name.startsWith("user.overlay."))) {
                Posix.lgetxattr(source, name).ifPresent(value -> kept.put(name, value));
            }
        }
        return kept;
    }

    private static List<String> sortKey(LayerChange change) {
        List<String> parts = new ArrayList<>(Arrays.asList(change.path().split("/")));
        switch (change) {
            case LayerChange.Whiteout w -> parts.set(parts.size() - 1, ".wh." + parts.getLast());
            case LayerChange.Opaque o -> parts.add("");
            case LayerChange.Put p -> {
            }
        }
        return parts;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
