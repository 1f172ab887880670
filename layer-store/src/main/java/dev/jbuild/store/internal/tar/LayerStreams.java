package dev.jbuild.store.internal.tar;

import com.github.luben.zstd.ZstdInputStream;
import dev.jbuild.oci.MediaType.Compression;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Recognises a layer's compression by its magic bytes and opens the uncompressed tar stream. */
public final class LayerStreams {
    private static final int BUFFER = 256 * 1024;

    private LayerStreams() {
    }

    /** The compression of the stream, judged from its first bytes (the stream must support mark). */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    /**
     * The uncompressed content of {@code blob}, failing with {@link ExpansionLimitException} once it
     * grows past {@code maxRatio} times the compressed bytes read (after a grace of {@code graceBytes})
     * or past {@code maxBytes} in total.
     */
    public static InputStream uncompressed(InputStream blob, long maxRatio, long graceBytes, long maxBytes)
            throws IOException {
        CountingInputStream compressed = new CountingInputStream(blob);
        BufferedInputStream buffered = new BufferedInputStream(compressed, BUFFER);
        Compression compression = detect(buffered);
        InputStream raw = switch (compression) {
            case GZIP -> new GZIPInputStream(buffered, BUFFER);
            case ZSTD -> new BufferedInputStream(new ZstdInputStream(buffered), BUFFER);
            case NONE -> buffered;
        };
        if (compression == Compression.NONE) {
            return new LimitedInputStream(raw, compressed, Long.MAX_VALUE, graceBytes, maxBytes);
        }
        return new LimitedInputStream(raw, compressed, maxRatio, graceBytes, maxBytes);
    }

    /** Thrown when a compressed layer expands more than the configured limits allow. */
    public static final class ExpansionLimitException extends IOException {
        ExpansionLimitException(String message) {
            super(message);
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static final class LimitedInputStream extends FilterInputStream {
        private final CountingInputStream compressed;
        private final long maxRatio;
        private final long graceBytes;
        private final long maxBytes;
        private long produced;

        LimitedInputStream(InputStream in, CountingInputStream compressed, long maxRatio, long graceBytes,
                long maxBytes) {
            super(in);
            this.compressed = compressed;
            this.maxRatio = maxRatio;
            this.graceBytes = graceBytes;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                produced += n;
                check();
            }
            return n;
        }

        private void check() throws ExpansionLimitException {
            if (produced > maxBytes) {
                throw new ExpansionLimitException("layer expands to more than " + maxBytes + " bytes");
            }
            if (produced > graceBytes && maxRatio != Long.MAX_VALUE
                    && produced / Math.max(1, compressed.count) > maxRatio) {
                throw new ExpansionLimitException("layer expands more than " + maxRatio + "-fold (" + produced
                        + " bytes from " + compressed.count + " compressed): refusing a decompression bomb");
            }
        }
    }
}
