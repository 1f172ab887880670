package dev.jbuild.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * A Dockerfile after BuildKit's line parser ({@code parser.Parse}): directives, warnings and one
 * {@link Node} per instruction, unknown instructions included. {@link DockerfileParser#parse}
 * turns it into typed instructions.
 *
 * @param directives the parser directives
 * @param nodes      the instructions in file order
 * @param warnings   what the line parser warned about
 */
public record SyntaxTree(Directives directives, List<Node> nodes, List<Warning> warnings) {
    public SyntaxTree {
        Objects.requireNonNull(directives, "directives");
        nodes = List.copyOf(nodes);
        warnings = List.copyOf(warnings);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("file with no instructions");
        }
    }

    /** BuildKit's {@code Node.Dump()} of the whole file plus its final newline: one line per instruction. */
    public String dump() {
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            out.append('(').append(node.dump()).append(")\n");
        }
        return out.toString();
    }
}
