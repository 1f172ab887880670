package dev.jbuild.store.internal.tar;

import dev.jbuild.store.LayerRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar stream (ustar, PAX and GNU long names) member by member, with hard limits on
 * extension headers so a hostile archive cannot make us allocate without bound.
 *
 * <p>We parse tar ourselves rather than through commons-compress because PAX values must stay
 * bytes: {@code SCHILY.xattr.security.capability} is binary and does not survive a UTF-8 decode.
 */
public final class TarReader {
    static final int BLOCK = 512;

    private final InputStream in;
    private final int maxExtensionHeaderBytes;
    private final byte[] header = new byte[BLOCK];
    private long remaining;
    private long padding;
    private String currentName = "";
    private boolean ended;

    public TarReader(InputStream in, int maxExtensionHeaderBytes) {
        this.in = in;
        this.maxExtensionHeaderBytes = maxExtensionHeaderBytes;
    }

    /** The next member, or null at the end of the archive. */
    public TarEntry next() throws IOException {
        skipRest();
        if (ended) {
            return null;
        }
        Map<String, byte[]> pax = new LinkedHashMap<>();
        String longName = null;
        String longLink = null;
        while (true) {
            if (!readHeader()) {
                ended = true;
                return null;
            }
            byte flag = header[156];
            String rawName = headerName();
            long size = number(124, 12, rawName);
            switch (flag) {
                case 'x' -> pax.putAll(PaxRecords.parse(extension(size, rawName), rawName));
                case 'g' -> extension(size, rawName);
                case 'L' -> longName = cString(extension(size, rawName));
                case 'K' -> longLink = cString(extension(size, rawName));
                default -> {
                    return entry(flag, rawName, size, pax, longName, longLink);
                }
            }
        }
    }

    /** The data of the current member; reading past its size returns end of stream. */
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw truncated("data of");
        }
        remaining -= n;
        return n;
    }

    private TarEntry entry(byte flag, String rawName, long headerSize, Map<String, byte[]> pax, String longName,
            String longLink) throws IOException {
        String name = longName != null ? longName : rawName;
        String linkName = longLink != null ? longLink : field(157, 100);
        long size = headerSize;
        long uid = number(108, 8, name);
        long gid = number(116, 8, name);
        long mtime = number(136, 12, name);
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> record : pax.entrySet()) {
            String key = record.getKey();
            String value = new String(record.getValue(), StandardCharsets.UTF_8);
            switch (key) {
                case "path" -> name = value;
                case "linkpath" -> linkName = value;
                case "size" -> size = decimal(value, key, name);
                case "uid" -> uid = decimal(value, key, name);
                case "gid" -> gid = decimal(value, key, name);
                case "mtime" -> mtime = decimal(value.contains(".") ? value.substring(0, value.indexOf('.')) : value,
                        key, name);
                default -> {
                    if (key.startsWith("SCHILY.xattr.")) {
                        xattrs.put(key.substring("SCHILY.xattr.".length()), record.getValue());
                    } else if (key.startsWith("GNU.sparse.")) {
                        throw new LayerRejectedException(name, "sparse files (PAX " + key + ") are not supported");
                    }
                }
            }
        }
        currentName = name;
        TarEntry.EntryType type = switch (flag) {
            case '0', 0, '7' -> TarEntry.EntryType.REGULAR;
            case '1' -> TarEntry.EntryType.HARDLINK;
            case '2' -> TarEntry.EntryType.SYMLINK;
            case '3' -> TarEntry.EntryType.CHAR_DEVICE;
            case '4' -> TarEntry.EntryType.BLOCK_DEVICE;
            case '5' -> TarEntry.EntryType.DIRECTORY;
            case '6' -> TarEntry.EntryType.FIFO;
            case 'S' -> throw new LayerRejectedException(name, "GNU sparse files are not supported");
            default -> TarEntry.EntryType.OTHER;
        };
        remaining = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
        if (type == TarEntry.EntryType.DIRECTORY && name.endsWith("/") && name.length() > 1) {
            name = name.substring(0, name.length() - 1);
        }
        if (uid > TarEntry.MAX_ID || gid > TarEntry.MAX_ID) {
            throw new LayerRejectedException(name, "uid/gid " + uid + ":" + gid + " out of range");
        }
        long dataSize = type == TarEntry.EntryType.REGULAR ? size : 0;
        int mode = (int) number(100, 8, name);
        return new TarEntry(name, type, mode, uid, gid, dataSize, mtime, linkName,
                (int) number(329, 8, name), (int) number(337, 8, name), xattrs);
    }

    private boolean readHeader() throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw truncated("header after");
        }
        if (isZero(header)) {
            return false;
        }
        long stored = number(148, 8, headerName());
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : header[i];
        }
        if (stored != unsigned && stored != signed) {
            throw new LayerRejectedException(headerName(), "corrupt tar header (checksum mismatch)");
        }
        return true;
    }

    private byte[] extension(long size, String rawName) throws IOException {
        if (size > maxExtensionHeaderBytes) {
            throw new LayerRejectedException(rawName, "extension header of " + size + " bytes exceeds the limit of "
                    + maxExtensionHeaderBytes);
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new LayerRejectedException(rawName, "archive truncated inside an extension header");
        }
        skipFully((BLOCK - size % BLOCK) % BLOCK, rawName);
        return data;
    }

    private void skipRest() throws IOException {
        long toSkip = remaining + padding;
        remaining = 0;
        padding = 0;
        skipFully(toSkip, currentName);
    }

    private void skipFully(long count, String name) throws IOException {
        long left = count;
        byte[] scratch = left > 0 ? new byte[(int) Math.min(left, 65536)] : null;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(left, scratch.length));
            if (n < 0) {
                throw new LayerRejectedException(name, "archive truncated (" + left + " bytes missing)");
            }
            left -= n;
        }
    }

    private LayerRejectedException truncated(String where) {
        return new LayerRejectedException(currentName, "archive truncated: end of stream in the " + where + " entry");
    }

    private String headerName() {
        String name = field(0, 100);
        boolean posix = header[257] == 'u' && header[262] == 0;
        if (posix && header[345] != 0) {
            return field(345, 155) + "/" + name;
        }
        return name;
    }

    private String field(int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private long number(int offset, int length, String name) throws LayerRejectedException {
        if ((header[offset] & 0x80) != 0) {
            long value = header[offset] & 0x3f;
            for (int i = 1; i < length; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    throw new LayerRejectedException(name, "numeric header field out of range");
                }
                value = (value << 8) | (header[offset + i] & 0xff);
            }
            return value;
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] != ' ' && header[i] != 0; i++) {
            int digit = header[i] - '0';
            if (digit < 0 || digit > 7) {
                throw new LayerRejectedException(name, "invalid octal header field");
            }
            value = value * 8 + digit;
        }
        return value;
    }

    private static long decimal(String value, String key, String name) throws LayerRejectedException {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0 && !key.equals("mtime")) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new LayerRejectedException(name, "invalid PAX " + key + " \"" + value + "\"");
        }
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        return Arrays.mismatch(block, new byte[BLOCK]) < 0;
    }
}
