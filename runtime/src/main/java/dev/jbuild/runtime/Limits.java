package dev.jbuild.runtime;

/**
 * Resource limits of a container, enforced through cgroups; 0 means unlimited.
 *
 * @param memoryBytes memory (and swap) limit
 * @param cpus CPU quota in CPUs, e.g. 0.5
 * @param pids maximum number of processes and threads
 */
public record Limits(long memoryBytes, double cpus, long pids) {
    /** No limits. */
    public static final Limits NONE = new Limits(0, 0, 0);

    public Limits {
        if (memoryBytes < 0 || cpus < 0 || pids < 0 || Double.isNaN(cpus)) {
            throw new IllegalArgumentException("limits must not be negative: memory=" + memoryBytes + " cpus=" + cpus + " pids=" + pids);
        }
    }

    /** Whether any limit is set. */
    public boolean any() {
        return memoryBytes > 0 || cpus > 0 || pids > 0;
    }
}
