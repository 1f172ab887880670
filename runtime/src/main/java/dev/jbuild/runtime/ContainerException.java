package dev.jbuild.runtime;

/**
 * A container that could not be started or prepared, such as a missing command, a missing user or an
 * impossible mount; the message says what was wrong, in the words Docker users know.
 */
public final class ContainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code used by Docker for a container that could not be set up. */
    public static final int SETUP_FAILED = 125;
    /** Exit code used by Docker for a command that exists but cannot be executed. */
    public static final int NOT_EXECUTABLE = 126;
    /** Exit code used by Docker for a command that does not exist. */
    public static final int NOT_FOUND = 127;

    private final int exitCode;

    public ContainerException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = SETUP_FAILED;
    }

    /** The exit code a CLI should report: 125, 126 or 127, as Docker does. */
    public int exitCode() {
        return exitCode;
    }
}
