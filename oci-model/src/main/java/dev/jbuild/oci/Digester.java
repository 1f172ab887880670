package dev.jbuild.oci;

import dev.jbuild.oci.internal.HashEngine;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Computes a digest and byte count of a stream of content in one pass, as it flows through. */
public final class Digester {
    private final String algorithm;
    private final HashEngine engine;
    private long size;
    private Digest result;

    private Digester(String algorithm) {
        this.algorithm = algorithm;
        this.engine = HashEngine.of(algorithm);
    }

    /** A digester for {@code sha256}. */
    public static Digester sha256() {
        return new Digester(Digest.SHA256);
    }

    /** A digester for the given algorithm ({@code sha256} or {@code sha512}). */
    public static Digester of(String algorithm) {
        return new Digester(algorithm);
    }

    /** Adds {@code length} bytes of {@code bytes} from {@code offset} to the content. */
    public void update(byte[] bytes, int offset, int length) {
        if (result != null) {
            throw new IllegalStateException("the digest of this content was already taken");
        }
        engine.update(bytes, offset, length);
        size += length;
    }

    /** Bytes seen so far. */
    public long size() {
        return size;
    }

    /** The digest of everything seen; the same on every call, and no bytes may be added after the first. */
    public Digest digest() {
        if (result == null) {
            result = Digest.fromBytes(algorithm, engine.finish());
        }
        return result;
    }

    /** Wraps {@code in} so that every byte read is digested. */
    public InputStream wrap(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    update(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    update(buffer, offset, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] buffer = new byte[8192];
                long skipped = 0;
                while (skipped < n) {
                    int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                    if (r < 0) {
                        break;
                    }
                    skipped += r;
                }
                return skipped;
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    /** Wraps {@code out} so that every byte written is digested. */
    public OutputStream wrap(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                update(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                update(buffer, offset, length);
            }
        };
    }
}
