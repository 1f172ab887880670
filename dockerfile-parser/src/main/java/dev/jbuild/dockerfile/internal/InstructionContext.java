package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.DockerfileException;
import dev.jbuild.dockerfile.Node;
import dev.jbuild.dockerfile.SourceRange;
import dev.jbuild.dockerfile.Warning;
import java.util.ArrayList;
import java.util.List;

/** What every instruction check shares: the file for error excerpts, the warnings found so far, and the common argument rules. */
final class InstructionContext {
    private final String fileName;
    private final String[] sourceLines;
    private final List<Warning> warnings = new ArrayList<>();

    InstructionContext(String fileName, String text) {
        this.fileName = fileName;
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.sourceLines = body.split("\n", -1);
    }

    List<Warning> warnings() {
        return warnings;
    }

    static SourceRange range(Node node) {
        return node.range().orElseThrow();
    }

    void warn(Node node, String rule, String message) {
        warnings.add(new Warning(rule, message, range(node).startLine()));
    }

    DockerfileException error(Node node, String message) {
        return error(node, null, message);
    }

    // Points at `needle` when it can be found on the instruction's lines, else at the keyword.
    DockerfileException error(Node node, String needle, String message) {
        SourceRange range = range(node);
        int line = range.startLine();
        String source = sourceLine(line);
        int column = SyntaxReader.firstColumn(source);
        if (needle != null && !needle.isEmpty()) {
            for (int candidate = range.startLine(); candidate <= range.endLine(); candidate++) {
                int index = sourceLine(candidate).indexOf(needle);
                if (index >= 0) {
                    line = candidate;
                    source = sourceLine(candidate);
                    column = index + 1;
                    break;
                }
            }
        }
        return new DockerfileException(fileName, line, column, source, message);
    }

    private String sourceLine(int line) {
        return line >= 1 && line <= sourceLines.length ? GoText.trimNewline(sourceLines[line - 1]) : "";
    }

    void flagsNone(Node node) throws BuildFlags.FlagException {
        new BuildFlags().parse(node.flags());
    }

    String exactlyOne(Node node, String instruction, boolean parseFlags) throws BuildFlags.FlagException {
        if (parseFlags) {
            flagsNone(node);
        }
        if (node.args().size() != 1) {
            throw error(node, instruction + " requires exactly one argument");
        }
        return node.args().getFirst();
    }

    void atLeastOne(Node node, String instruction) {
        if (node.args().isEmpty()) {
            throw error(node, instruction + " requires at least one argument");
        }
    }
}
