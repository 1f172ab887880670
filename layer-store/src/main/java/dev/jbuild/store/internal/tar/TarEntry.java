package dev.jbuild.store.internal.tar;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One tar member after PAX and GNU extensions are folded in: the name, type, ownership, mode,
 * mtime, link target, device numbers and extended attributes (raw bytes, sorted by name).
 */
public record TarEntry(
        String name,
        EntryType type,
        int mode,
        long uid,
        long gid,
        long size,
        long mtimeSeconds,
        String linkName,
        int devMajor,
        int devMinor,
        Map<String, byte[]> xattrs) {

    /** Linux ids are unsigned 32-bit numbers. */
    public static final long MAX_ID = 0xffffffffL;

    public TarEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        linkName = linkName == null ? "" : linkName;
        xattrs = Collections.unmodifiableSortedMap(new TreeMap<>(xattrs == null ? Map.of() : xattrs));
        if (uid < 0 || gid < 0 || uid > MAX_ID || gid > MAX_ID) {
            throw new IllegalArgumentException("uid/gid " + uid + ":" + gid + " out of range for " + name);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + name);
        }
        if (type != EntryType.REGULAR && size != 0) {
            throw new IllegalArgumentException("only regular files carry data, not " + type + " " + name);
        }
    }

    /** The kinds of member a layer may hold; {@link #OTHER} covers anything we do not unpack. */
    public enum EntryType {
        REGULAR, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO, OTHER
    }
}
