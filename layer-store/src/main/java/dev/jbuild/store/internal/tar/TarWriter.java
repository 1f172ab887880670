package dev.jbuild.store.internal.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes ustar headers with PAX extensions only where ustar cannot hold a value (long names,
 * large sizes or ids, xattrs), numeric ids with empty user/group names, whole-second mtimes:
 * the same entry always produces the same bytes.
 */
public final class TarWriter {
    private static final int BLOCK = TarReader.BLOCK;
    private static final long MAX_OCTAL_8 = 07777777L;
    private static final long MAX_OCTAL_12 = 077777777777L;

    private final OutputStream out;
    private final byte[] header = new byte[BLOCK];
    private final byte[] copyBuffer = new byte[128 * 1024];

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes the header of {@code entry}, then exactly {@code entry.size()} bytes from {@code content}. */
    public void write(TarEntry entry, InputStream content) throws IOException {
        writeHeader(entry);
        if (entry.size() > 0) {
            long left = entry.size();
            while (left > 0) {
                int n = content.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, left));
                if (n < 0) {
                    throw new IOException(entry.name() + " shrank while it was being written to the layer");
                }
                out.write(copyBuffer, 0, n);
                left -= n;
            }
            pad(entry.size());
        }
    }

    /** Writes the end-of-archive marker (two zero blocks). */
    public void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    private void writeHeader(TarEntry entry) throws IOException {
        String name = entry.type() == TarEntry.EntryType.DIRECTORY && !entry.name().endsWith("/")
                ? entry.name() + "/" : entry.name();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = entry.linkName().getBytes(StandardCharsets.UTF_8);
        TreeMap<String, byte[]> pax = new TreeMap<>();
        if (nameBytes.length > 100 || !isAscii(nameBytes)) {
            pax.put("path", nameBytes);
        }
        if (linkBytes.length > 100 || !isAscii(linkBytes)) {
            pax.put("linkpath", linkBytes);
        }
        if (entry.size() > MAX_OCTAL_12) {
            pax.put("size", ascii(entry.size()));
        }
        if (entry.uid() > MAX_OCTAL_8) {
            pax.put("uid", ascii(entry.uid()));
        }
        if (entry.gid() > MAX_OCTAL_8) {
            pax.put("gid", ascii(entry.gid()));
        }
        for (Map.Entry<String, byte[]> xattr : entry.xattrs().entrySet()) {
            pax.put("SCHILY.xattr." + xattr.getKey(), xattr.getValue());
        }
        if (!pax.isEmpty()) {
            byte[] records = PaxRecords.encode(pax);
            fillHeader("././@PaxHeader".getBytes(StandardCharsets.US_ASCII), 0644, 0, 0, records.length, 0,
                    (byte) 'x', new byte[0], 0, 0);
            out.write(header);
            out.write(records);
            pad(records.length);
        }
        byte flag = switch (entry.type()) {
            case REGULAR -> '0';
            case HARDLINK -> '1';
            case SYMLINK -> '2';
            case CHAR_DEVICE -> '3';
            case BLOCK_DEVICE -> '4';
            case DIRECTORY -> '5';
            case FIFO -> '6';
            case OTHER -> throw new IllegalArgumentException("cannot write an entry of unknown type: " + name);
        };
        fillHeader(truncate(nameBytes), entry.mode() & 07777, Math.min(entry.uid(), MAX_OCTAL_8),
                Math.min(entry.gid(), MAX_OCTAL_8), Math.min(entry.size(), MAX_OCTAL_12),
                Math.clamp(entry.mtimeSeconds(), 0, MAX_OCTAL_12), flag, truncate(linkBytes),
                entry.devMajor(), entry.devMinor());
        out.write(header);
    }

    private void fillHeader(byte[] name, int mode, long uid, long gid, long size, long mtime, byte flag,
            byte[] linkName, int devMajor, int devMinor) {
        java.util.Arrays.fill(header, (byte) 0);
        System.arraycopy(name, 0, header, 0, name.length);
        octal(mode, 100, 8);
        octal(uid, 108, 8);
        octal(gid, 116, 8);
        octal(size, 124, 12);
        octal(mtime, 136, 12);
        header[156] = flag;
        System.arraycopy(linkName, 0, header, 157, linkName.length);
        byte[] magic = {'u', 's', 't', 'a', 'r', 0, '0', '0'};
        System.arraycopy(magic, 0, header, 257, magic.length);
        octal(devMajor, 329, 8);
        octal(devMinor, 337, 8);
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(sum, 148, 7);
        header[155] = ' ';
    }

    private void octal(long value, int offset, int length) {
        String digits = Long.toOctalString(value);
        int width = length - 1;
        int pad = width - digits.length();
        for (int i = 0; i < pad; i++) {
            header[offset + i] = '0';
        }
        for (int i = 0; i < digits.length(); i++) {
            header[offset + pad + i] = (byte) digits.charAt(i);
        }
        header[offset + width] = 0;
    }

    private void pad(long size) throws IOException {
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (padding > 0) {
            out.write(new byte[padding]);
        }
    }

    private static byte[] truncate(byte[] bytes) {
        return bytes.length <= 100 ? bytes : java.util.Arrays.copyOf(bytes, 100);
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
