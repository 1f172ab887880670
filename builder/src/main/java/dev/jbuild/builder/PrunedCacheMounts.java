package dev.jbuild.builder;

/**
 * What {@link Builder#pruneCacheMounts} did: RUN cache directories removed and the bytes they held,
 * and those kept because a running step is using them.
 */
public record PrunedCacheMounts(long removed, long bytesFreed, long inUse) {
    public PrunedCacheMounts {
        if (removed < 0 || bytesFreed < 0 || inUse < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }
}
