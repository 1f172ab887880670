package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.Heredoc;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.KeyValue;
import dev.jbuild.dockerfile.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The instructions that shape stages and their variables: FROM, ARG, ENV, LABEL and ONBUILD. */
final class StageInstructions {
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");

    private final InstructionContext context;

    StageInstructions(InstructionContext context) {
        this.context = context;
    }

    Instruction.From from(Node node) throws BuildFlags.FlagException {
        BuildFlags flags = new BuildFlags().declare("platform", BuildFlags.Type.STRING);
        flags.parse(node.flags());
        List<String> args = node.args();
        boolean named = args.size() == 3 && args.get(1).equalsIgnoreCase("as");
        if (args.size() != 1 && !named) {
            throw context.error(node, "FROM requires either one or three arguments");
        }
        Optional<String> stageName = Optional.empty();
        if (named) {
            String written = args.get(2);
            String name = GoText.toLower(written);
            if (!STAGE_NAME.matcher(name).matches()) {
                throw context.error(node, written, "invalid name for build stage: " + GoText.quote(written)
                        + ", name can't start with a number or contain symbols");
            }
            if (!written.equals(name)) {
                context.warn(node, "StageNameCasing", "Stage name '" + written + "' should be lowercase");
            }
            boolean fromUpper = node.keyword().equals(node.keyword().toUpperCase(Locale.ROOT));
            boolean asUpper = args.get(1).equals(args.get(1).toUpperCase(Locale.ROOT));
            if (fromUpper != asUpper) {
                context.warn(node, "FromAsCasing", "'" + args.get(1) + "' and '" + node.keyword() + "' keywords' casing do not match");
            }
            stageName = Optional.of(name);
        }
        return new Instruction.From(InstructionContext.range(node), node.original(), args.getFirst(), stageName, flags.string("platform"));
    }

    Instruction.Arg arg(Node node) {
        if (node.args().isEmpty()) {
            throw context.error(node, "ARG requires at least one argument");
        }
        List<ArgDefinition> definitions = new ArrayList<>();
        for (String word : node.args()) {
            int equals = word.indexOf('=');
            String name = equals < 0 ? word : word.substring(0, equals);
            if (name.isEmpty()) {
                throw context.error(node, "ARG names can not be blank");
            }
            definitions.add(new ArgDefinition(name, equals < 0 ? Optional.empty() : Optional.of(word.substring(equals + 1))));
        }
        return new Instruction.Arg(InstructionContext.range(node), node.original(), definitions);
    }

    List<KeyValue> pairs(Node node, String instruction) {
        List<String> args = node.args();
        if (args.isEmpty()) {
            throw context.error(node, instruction + " requires at least one argument");
        }
        if (args.size() % 3 != 0) {
            throw context.error(node, "Bad input to " + instruction + ", too many arguments");
        }
        List<KeyValue> pairs = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 3) {
            if (args.get(i).isEmpty()) {
                throw context.error(node, instruction + " names can not be blank");
            }
            pairs.add(new KeyValue(args.get(i), args.get(i + 1)));
        }
        return pairs;
    }

    boolean legacy(Node node, String instruction) {
        boolean legacy = node.args().size() == 3 && node.args().get(2).isEmpty();
        if (legacy) {
            context.warn(node, "LegacyKeyValueFormat", "\"" + instruction + " key=value\" should be used instead of legacy \""
                    + instruction + " key value\" format");
        }
        return legacy;
    }

    Instruction.Onbuild onbuild(Node node) throws BuildFlags.FlagException {
        context.flagsNone(node);
        if (node.trigger().isEmpty()) {
            throw context.error(node, "ONBUILD requires at least one argument");
        }
        Node trigger = node.trigger().get();
        switch (trigger.name()) {
            case "onbuild" -> throw context.error(node, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "from", "maintainer" -> throw context.error(node, trigger.keyword().toUpperCase(Locale.ROOT)
                    + " isn't allowed as an ONBUILD trigger");
            default -> { }
        }
        String line = GoText.trimSpace(node.original());
        List<String> head = LineArguments.splitInTwo(line);
        StringBuilder expression = new StringBuilder(head.size() == 2 ? head.get(1) : "");
        for (Heredoc heredoc : node.heredocs()) {
            expression.append('\n').append(heredoc.content()).append(heredoc.name());
        }
        return new Instruction.Onbuild(InstructionContext.range(node), node.original(), expression.toString(), trigger);
    }
}
