package dev.jbuild.store.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Names for temporary files and directories of the store, unique among the processes sharing it:
 * the process id and 64 random bits. Every caller also creates with {@code CREATE_NEW} semantics,
 * so even a clash fails instead of sharing a file. {@link java.util.UUID#randomUUID} would do, but its
 * {@code SecureRandom} loads the JDK's security providers, which a short command pays for at start-up
 * and these names do not need.
 */
public final class UniqueNames {
    private static final String PROCESS = Long.toHexString(ProcessHandle.current().pid());

    private UniqueNames() {
    }

    /** A new name of hexadecimal digits and one dash. */
    public static String next() {
        return PROCESS + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
