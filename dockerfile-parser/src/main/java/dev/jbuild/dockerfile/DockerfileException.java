package dev.jbuild.dockerfile;

import java.util.Objects;

/**
 * A Dockerfile that BuildKit would reject, with where and why: {@link #getMessage()} is
 * BuildKit's message, {@link #formatted()} reads like a compiler error with the line shown.
 */
public final class DockerfileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final int line;
    private final int column;
    private final String sourceLine;

    /**
     * @param fileName   shown before the position, usually {@code Dockerfile}
     * @param line       1-based physical line (0 when the file has none)
     * @param column     1-based column
     * @param sourceLine the offending physical line without its ending, or empty
     * @param message    what is wrong
     */
    public DockerfileException(String fileName, int line, int column, String sourceLine, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.line = line;
        this.column = Math.max(1, column);
        this.sourceLine = Objects.requireNonNull(sourceLine, "sourceLine");
    }

    /** The 1-based line the error is on. */
    public int line() {
        return line;
    }

    /** The 1-based column the error is at. */
    public int column() {
        return column;
    }

    /** The offending line as written, without its line ending. */
    public String sourceLine() {
        return sourceLine;
    }

    /** {@code FILE:LINE:COL: message}, then the line and a caret under the column. */
    public String formatted() {
        StringBuilder out = new StringBuilder();
        out.append(fileName).append(':').append(line).append(':').append(column).append(": ").append(getMessage());
        if (!sourceLine.isEmpty()) {
            out.append('\n').append("  ").append(sourceLine).append('\n').append("  ");
            for (int i = 1; i < column && i <= sourceLine.length(); i++) {
                out.append(sourceLine.charAt(i - 1) == '\t' ? '\t' : ' ');
            }
            out.append('^');
        }
        return out.toString();
    }
}
