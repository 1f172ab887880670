package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.Command;
import dev.jbuild.dockerfile.Environment;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.Node;
import dev.jbuild.dockerfile.ShellLexer;
import dev.jbuild.dockerfile.Warning;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * BuildKit's lint rules that look across instructions: consistent keyword casing, duplicate and
 * reserved stage names, CMD/ENTRYPOINT/HEALTHCHECK given more than once in a stage, shell-form
 * CMD/ENTRYPOINT without a custom SHELL, and a relative WORKDIR before any absolute one in the
 * stage (WorkdirRelativePath; a stage built FROM an earlier stage inherits that stage's state).
 */
final class StageLint {
    private static final Set<String> RESERVED_STAGE_NAMES = Set.of("context", "scratch");
    private static final Set<String> LAST_ONE_WINS = Set.of("cmd", "entrypoint", "healthcheck");

    private StageLint() {
    }

    static List<Warning> check(List<Node> nodes, List<Instruction> instructions, char escapeToken) {
        List<Warning> warnings = new ArrayList<>();
        casing(nodes, warnings);
        Set<String> stageNames = new HashSet<>();
        Map<String, Integer> seenInStage = new HashMap<>();
        Map<String, Boolean> absoluteWorkdirByStage = new HashMap<>();
        ShellLexer lexer = ShellLexer.withEscape(escapeToken);
        String stageName = null;
        boolean shellSet = false;
        boolean absoluteWorkdir = false;
        for (int i = 0; i < instructions.size(); i++) {
            Instruction instruction = instructions.get(i);
            int line = instruction.range().startLine();
            if (instruction instanceof Instruction.From from) {
                if (stageName != null) {
                    absoluteWorkdirByStage.put(stageName, absoluteWorkdir);
                }
                stageName = from.stageName().orElse(null);
                absoluteWorkdir = absoluteWorkdirByStage.getOrDefault(GoText.toLower(from.image()), false);
                seenInStage.clear();
                shellSet = false;
                Node node = nodes.get(i);
                from.stageName().ifPresent(name -> {
                    description(node, "FROM", List.of(name), line, warnings);
                    if (!stageNames.add(name)) {
                        warnings.add(new Warning("DuplicateStageName",
                                "Duplicate stage name \"" + name + "\", stage names should be unique", line));
                    }
                    if (RESERVED_STAGE_NAMES.contains(name)) {
                        warnings.add(new Warning("ReservedStageName",
                                "Stage name should not use the same name as reserved stage \"" + name + "\"", line));
                    }
                });
                continue;
            }
            if (instruction instanceof Instruction.Arg arg) {
                description(nodes.get(i), "ARG", arg.args().stream().map(ArgDefinition::name).toList(), line, warnings);
            }
            if (instruction instanceof Instruction.Workdir workdir) {
                Optional<String> path = literalPath(lexer, workdir.path());
                if (path.filter(p -> p.startsWith("/")).isPresent()) {
                    absoluteWorkdir = true;
                } else if (path.isPresent() && !absoluteWorkdir) {
                    warnings.add(new Warning("WorkdirRelativePath", "Relative workdir '" + path.get()
                            + "' can have unexpected results if the base image changes", line));
                }
            }
            shellSet |= instruction instanceof Instruction.Shell;
            if (!shellSet && shellFormCommand(instruction)) {
                warnings.add(new Warning("JSONArgsRecommended", "JSON arguments recommended for "
                        + nodes.get(i).keyword().toUpperCase(Locale.ROOT)
                        + " to prevent unintended behavior related to OS signals", line));
            }
            String name = nodes.get(i).name();
            if (LAST_ONE_WINS.contains(name) && seenInStage.merge(name, 1, Integer::sum) == 2) {
                warnings.add(new Warning("MultipleInstructionsDisallowed", "Multiple "
                        + name.toUpperCase(Locale.ROOT) + " instructions should not be used in the same stage because only "
                        + "the last one will be used", line));
            }
        }
        return warnings;
    }

    /**
     * InvalidDefinitionDescription: the comment line right above a named stage or an ARG is its
     * description, so it should start with the name ({@code # base builds the base}).
     */
    private static void description(Node node, String keyword, List<String> names, int line, List<Warning> warnings) {
        if (node.comments().isEmpty() || names.isEmpty() || names.contains(node.comments().getLast().split(" ", -1)[0])) {
            return;
        }
        String example = names.size() > 1 ? "<arg_key>" : names.getFirst();
        warnings.add(new Warning("InvalidDefinitionDescription", "Comment for " + keyword
                + " should follow the format: `# " + example + " <description>`", line));
    }

    // Only a path without variables is judged: a variable may well hold an absolute path.
    private static Optional<String> literalPath(ShellLexer lexer, String written) {
        if (written.contains("$")) {
            return Optional.empty();
        }
        try {
            return Optional.of(lexer.processWord(written, Environment.empty()));
        } catch (ExpansionException e) {
            return Optional.empty();
        }
    }

    // A custom SHELL earlier in the stage means the shell form was chosen on purpose.
    private static boolean shellFormCommand(Instruction instruction) {
        return switch (instruction) {
            case Instruction.Cmd cmd -> cmd.command() instanceof Command.ShellForm;
            case Instruction.Entrypoint entrypoint -> entrypoint.command() instanceof Command.ShellForm;
            default -> false;
        };
    }

    // The majority casing of the file wins; each keyword written the other way is reported.
    private static void casing(List<Node> nodes, List<Warning> warnings) {
        int lower = 0;
        int upper = 0;
        for (Node node : nodes) {
            if (node.keyword().equals(node.keyword().toLowerCase(Locale.ROOT))) {
                lower++;
            } else if (node.keyword().equals(node.keyword().toUpperCase(Locale.ROOT))) {
                upper++;
            }
        }
        boolean majorityLower = lower > upper;
        for (Node node : nodes) {
            String expected = majorityLower ? node.keyword().toLowerCase(Locale.ROOT) : node.keyword().toUpperCase(Locale.ROOT);
            if (!node.keyword().equals(expected)) {
                warnings.add(new Warning("ConsistentInstructionCasing", "Command '" + node.keyword()
                        + "' should match the case of the command majority (" + (majorityLower ? "lowercase" : "uppercase")
                        + ")", node.range().orElseThrow().startLine()));
            }
        }
    }
}
