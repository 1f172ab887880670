package dev.jbuild.dockerfile;

/**
 * The physical lines an instruction spans, 1-based and inclusive (continuation and heredoc lines included).
 *
 * @param startLine first line
 * @param endLine   last line
 */
public record SourceRange(int startLine, int endLine) {
    public SourceRange {
        if (startLine < 1 || endLine < startLine) {
            throw new IllegalArgumentException("bad range " + startLine + ".." + endLine);
        }
    }
}
