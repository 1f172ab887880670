package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.Node;
import dev.jbuild.dockerfile.SyntaxTree;
import dev.jbuild.dockerfile.Warning;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * BuildKit's {@code instructions.Parse}: turns each line-parser {@link Node} into a typed
 * {@link Instruction}, checking flags, argument counts and values, and collecting lint warnings.
 * The checks live with their instruction family; this class dispatches and keeps stage order.
 * Every warning, whichever check found it, passes the {@code # check=skip=} filter of
 * {@link LintOptions} on the way out.
 */
public final class InstructionReader {
    private static final List<String> INSTRUCTIONS = List.of("add", "arg", "cmd", "copy", "entrypoint", "env",
            "expose", "from", "healthcheck", "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user",
            "volume", "workdir");

    private final InstructionContext context;
    private final CommandInstructions commands;
    private final FileInstructions files;
    private final StageInstructions stages;
    private final ValueLint values;

    private InstructionReader(InstructionContext context) {
        this.context = context;
        this.values = new ValueLint(context);
        this.commands = new CommandInstructions(context);
        this.files = new FileInstructions(context);
        this.stages = new StageInstructions(context);
    }

    /** Checks every node of {@code tree}; {@code text} is the file, for error excerpts. */
    public static Dockerfile read(String fileName, String text, SyntaxTree tree) {
        InstructionContext context = new InstructionContext(fileName, text);
        context.warnings().addAll(tree.warnings());
        InstructionReader reader = new InstructionReader(context);
        List<Instruction> instructions = new ArrayList<>();
        boolean seenFrom = false;
        for (Node node : tree.nodes()) {
            Instruction instruction = reader.instruction(node);
            if (instruction instanceof Instruction.From) {
                seenFrom = true;
            } else if (!seenFrom && !(instruction instanceof Instruction.Arg)) {
                throw context.error(node, "no build stage in current context");
            }
            instructions.add(instruction);
        }
        context.warnings().addAll(StageLint.check(tree.nodes(), instructions, tree.directives().escapeToken()));
        context.warnings().addAll(FromLint.check(instructions, tree.directives().escapeToken()));
        context.warnings().sort(Comparator.comparingInt(Warning::line));
        List<Warning> warnings = LintOptions.of(tree.directives()).filter(context.warnings());
        return new Dockerfile(tree.directives(), instructions, warnings, tree);
    }

    /**
     * Checks ONBUILD triggers taken from a base image: the same rules, but no FROM is needed
     * since they run inside the stage that uses the image.
     */
    public static List<Instruction> readTriggers(String fileName, String text, SyntaxTree tree) {
        InstructionContext context = new InstructionContext(fileName, text);
        InstructionReader reader = new InstructionReader(context);
        List<Instruction> instructions = new ArrayList<>();
        for (Node node : tree.nodes()) {
            instructions.add(reader.instruction(node));
        }
        return List.copyOf(instructions);
    }

    private Instruction instruction(Node node) {
        try {
            return switch (node.name()) {
                case "from" -> stages.from(node);
                case "arg" -> {
                    Instruction.Arg arg = stages.arg(node);
                    arg.args().forEach(definition -> values.secretKey(node, "ARG", definition.name()));
                    yield arg;
                }
                case "env" -> {
                    context.flagsNone(node);
                    Instruction.Env env = new Instruction.Env(InstructionContext.range(node), node.original(),
                            stages.pairs(node, "ENV"), stages.legacy(node, "ENV"));
                    env.pairs().forEach(pair -> values.secretKey(node, "ENV", pair.key()));
                    yield env;
                }
                case "label" -> {
                    context.flagsNone(node);
                    yield new Instruction.Label(InstructionContext.range(node), node.original(),
                            stages.pairs(node, "LABEL"), stages.legacy(node, "LABEL"));
                }
                case "onbuild" -> stages.onbuild(node);
                case "run" -> commands.run(node);
                case "cmd" -> new Instruction.Cmd(InstructionContext.range(node), node.original(),
                        commands.commandAfterNoFlags(node));
                case "entrypoint" -> new Instruction.Entrypoint(InstructionContext.range(node), node.original(),
                        commands.commandAfterNoFlags(node));
                case "shell" -> commands.shell(node);
                case "healthcheck" -> commands.healthcheck(node);
                case "copy" -> files.copy(node);
                case "add" -> files.add(node);
                case "volume" -> files.volume(node);
                case "expose" -> {
                    context.flagsNone(node);
                    context.atLeastOne(node, "EXPOSE");
                    values.exposedPorts(node);
                    yield new Instruction.Expose(InstructionContext.range(node), node.original(), node.args());
                }
                case "user" -> new Instruction.User(InstructionContext.range(node), node.original(),
                        context.exactlyOne(node, "USER", true));
                case "workdir" -> new Instruction.Workdir(InstructionContext.range(node), node.original(),
                        context.exactlyOne(node, "WORKDIR", true));
                case "stopsignal" -> new Instruction.StopSignal(InstructionContext.range(node), node.original(),
                        context.exactlyOne(node, "STOPSIGNAL", false));
                case "maintainer" -> {
                    context.warn(node, "MaintainerDeprecated", "Maintainer instruction is deprecated in favor of using label");
                    yield new Instruction.Maintainer(InstructionContext.range(node), node.original(),
                            context.exactlyOne(node, "MAINTAINER", false));
                }
                default -> throw context.error(node, "unknown instruction: " + node.keyword()
                        + Suggestions.didYouMean(node.keyword(), INSTRUCTIONS, true));
            };
        } catch (BuildFlags.FlagException e) {
            throw context.error(node, e.word(), e.getMessage());
        }
    }
}
