package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.internal.grammar.DockerfileLines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * The physical lines of a Dockerfile, classified by the {@code DockerfileLines} grammar, cut
 * where BuildKit's scanner stops: at the first line longer than its 64 KiB token limit.
 */
final class PhysicalLines {
    /** bufio.MaxScanTokenSize: a line with its ending must fit in this many bytes. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    enum Kind { TEXT, COMMENT, BLANK }

    /** One physical line: {@code raw} keeps its line ending. */
    record Line(String raw, Kind kind) {
    }

    private final List<Line> lines;
    private final boolean truncated;

    private PhysicalLines(List<Line> lines, boolean truncated) {
        this.lines = lines;
        this.truncated = truncated;
    }

    static PhysicalLines of(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        DockerfileLines lexer = new DockerfileLines(CharStreams.fromString(body));
        lexer.removeErrorListeners();
        List<Line> lines = new ArrayList<>();
        String content = null;
        Kind kind = Kind.BLANK;
        for (Token token = lexer.nextToken(); token.getType() != Token.EOF; token = lexer.nextToken()) {
            switch (token.getType()) {
                case DockerfileLines.NEWLINE -> {
                    String raw = (content == null ? "" : content) + "\n";
                    if (tooLong(raw)) {
                        return new PhysicalLines(lines, true);
                    }
                    lines.add(new Line(raw, content == null ? Kind.BLANK : kind));
                    content = null;
                }
                case DockerfileLines.COMMENT_LINE -> {
                    content = token.getText();
                    kind = Kind.COMMENT;
                }
                case DockerfileLines.BLANK_LINE -> {
                    content = token.getText();
                    kind = Kind.BLANK;
                }
                default -> {
                    content = token.getText();
                    kind = Kind.TEXT;
                }
            }
        }
        if (content != null) {
            // Without a line ending the scanner must see end of input before its buffer is full.
            if (tooLong(content + "\n")) {
                return new PhysicalLines(lines, true);
            }
            lines.add(new Line(content, kind));
        }
        return new PhysicalLines(lines, false);
    }

    private static boolean tooLong(String raw) {
        return raw.length() * 3L > MAX_LINE_BYTES && raw.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES;
    }

    List<Line> lines() {
        return lines;
    }

    /** True when reading stopped at a line over the limit. */
    boolean truncated() {
        return truncated;
    }
}
