package dev.jbuild.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes content through while digesting it, and fails at end of stream (or as soon as too many
 * bytes arrive) when the content does not match the expected digest and size.
 *
 * <p>Readers must consume to the end: only then is the content proven.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final long expectedSize;
    private final Digester digester;
    private boolean verified;
    private DigestMismatchException failure;

    /** Verifies against {@code expected}; {@code expectedSize} is -1 when unknown. */
    public VerifyingInputStream(InputStream in, Digest expected, long expectedSize) {
        this(in, expected, expectedSize, expected.newDigester());
    }

    private VerifyingInputStream(InputStream in, Digest expected, long expectedSize, Digester digester) {
        super(digester.wrap(in));
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.digester = digester;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else if (expectedSize >= 0 && digester.size() > expectedSize) {
            throw new DigestMismatchException(expected, null, expectedSize, digester.size());
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return in.skip(n);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return digester.size();
    }

    private void verify() throws DigestMismatchException {
        if (!verified) {
            verified = true;
            Digest actual = digester.digest();
            if (!actual.equals(expected) || (expectedSize >= 0 && expectedSize != digester.size())) {
                failure = new DigestMismatchException(expected, actual, expectedSize, digester.size());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
