package dev.jbuild.dockerfile;

import dev.jbuild.dockerfile.internal.GoText;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One instruction as BuildKit's line parser leaves it, before any per-instruction checks: the
 * keyword as written, its {@code --flags}, its arguments (or, for ONBUILD, the trigger).
 *
 * @param keyword  the instruction word with its original case
 * @param flags    the raw {@code --name=value} words, quotes and escapes removed
 * @param args     the arguments as BuildKit's dispatch table splits them
 * @param trigger  ONBUILD's instruction, when present
 * @param json     the arguments were a JSON array (exec form)
 * @param original the whole logical line (continuations joined)
 * @param range    the physical lines it came from
 * @param heredocs the here-documents it reads, in order
 * @param comments the comment lines just before it
 */
public record Node(String keyword, List<String> flags, List<String> args, Optional<Node> trigger, boolean json,
                   String original, Optional<SourceRange> range, List<Heredoc> heredocs, List<String> comments) {
    public Node {
        Objects.requireNonNull(keyword, "keyword");
        flags = List.copyOf(flags);
        args = List.copyOf(args);
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(range, "range");
        heredocs = List.copyOf(heredocs);
        comments = List.copyOf(comments);
    }

    /** The keyword lowercased, which is how instructions are matched. */
    public String name() {
        return GoText.toLower(keyword);
    }

    /** BuildKit's {@code Node.Dump()} of this instruction, without the surrounding parentheses. */
    public String dump() {
        // Iterative, because ONBUILD ONBUILD … chains can nest thousands deep.
        StringBuilder out = new StringBuilder();
        int open = 0;
        for (Node node = this; node != null; ) {
            out.append(node.name());
            if (!node.flags.isEmpty()) {
                out.append(" [");
                for (int i = 0; i < node.flags.size(); i++) {
                    out.append(i == 0 ? "" : " ").append(GoText.quote(node.flags.get(i)));
                }
                out.append(']');
            }
            for (String arg : node.args) {
                out.append(' ').append(GoText.quote(arg));
            }
            if (node.trigger.isPresent()) {
                out.append(" (");
                open++;
                node = node.trigger.get();
            } else {
                node = null;
            }
        }
        out.append(")".repeat(open));
        return GoText.trimSpace(out.toString());
    }
}
