package dev.jbuild.builder;

import java.util.OptionalInt;

/** A build failed: a bad Dockerfile or request, a missing source, or a step that exited non-zero; names the line when there is one. */
public class BuildException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient OptionalInt line;

    public BuildException(String message) {
        super(message);
        this.line = OptionalInt.empty();
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
        this.line = OptionalInt.empty();
    }

    public BuildException(int line, String message, Throwable cause) {
        super(message, cause);
        this.line = OptionalInt.of(line);
    }

    /** The Dockerfile line the failure comes from, when it comes from one. */
    public OptionalInt line() {
        return line;
    }
}
