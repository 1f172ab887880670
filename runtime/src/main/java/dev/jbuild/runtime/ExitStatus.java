package dev.jbuild.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How a container's command ended.
 *
 * @param exitCode the exit code, or 128 + signal when it was killed by a signal (as a shell reports it)
 * @param signal the signal that killed the command, or 0
 * @param oomKilled whether the kernel killed a process of the container because its memory limit was hit
 * @param timedOut whether the container was stopped because its timeout expired
 * @param duration wall time from start to exit
 */
public record ExitStatus(int exitCode, int signal, boolean oomKilled, boolean timedOut, Duration duration) {
    public ExitStatus {
        Objects.requireNonNull(duration, "duration");
        if (exitCode < 0 || exitCode > 255 || signal < 0 || signal > 64) {
            throw new IllegalArgumentException("invalid exit status: code=" + exitCode + " signal=" + signal);
        }
    }

    /** Whether the command exited with code 0 on its own. */
    public boolean success() {
        return exitCode == 0 && signal == 0 && !timedOut && !oomKilled;
    }

    /** A one-line explanation for users, e.g. "killed: out of memory (exit code 137)". */
    public String describe() {
        String how = signal != 0 ? "killed by signal " + signal + " (exit code " + exitCode + ")" : "exit code " + exitCode;
        if (timedOut) {
            return "timed out after " + duration.toMillis() + " ms, " + how;
        }
        if (oomKilled) {
            return "killed: out of memory, " + how;
        }
        return how;
    }
}
