package dev.jbuild.store.internal.fs;

import java.io.IOException;
import java.nio.file.Path;

/** A failed system call with its errno, so callers can tell "not permitted" from real failures. */
public final class PosixException extends IOException {
    private final int errno;

    public PosixException(String call, Path path, int errno) {
        super(call + " " + path + " failed: errno " + errno);
        this.errno = errno;
    }

    /** The C errno value the call failed with. */
    public int errno() {
        return errno;
    }
}
