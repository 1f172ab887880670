package dev.jbuild.oci;

import java.io.IOException;

/** Content whose size or digest differs from what its descriptor promised; the content must be discarded. */
public final class DigestMismatchException extends IOException {
    private final Digest expected;
    private final Digest actual;

    public DigestMismatchException(Digest expected, Digest actual, long expectedSize, long actualSize) {
        super(describe(expected, actual, expectedSize, actualSize));
        this.expected = expected;
        this.actual = actual;
    }

    private static String describe(Digest expected, Digest actual, long expectedSize, long actualSize) {
        if (expectedSize >= 0 && expectedSize != actualSize) {
            return "size mismatch for " + expected + ": expected " + expectedSize + " bytes, got " + actualSize;
        }
        return "digest mismatch: expected " + expected + ", got " + actual;
    }

    public Digest expected() {
        return expected;
    }

    public Digest actual() {
        return actual;
    }
}
