package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.Command;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.DockerfileException;
import dev.jbuild.dockerfile.HealthConfig;
import dev.jbuild.dockerfile.Heredoc;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.KeyValue;
import dev.jbuild.dockerfile.Node;
import dev.jbuild.dockerfile.SourceRange;
import dev.jbuild.dockerfile.SyntaxTree;
import dev.jbuild.dockerfile.Warning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * BuildKit's {@code instructions.Parse}: turns each line-parser {@link Node} into a typed
 * {@link Instruction}, checking flags, argument counts and values, and collecting lint warnings.
 */
public final class InstructionReader {
    private static final List<String> INSTRUCTIONS = List.of("add", "arg", "cmd", "copy", "entrypoint", "env",
            "expose", "from", "healthcheck", "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user",
            "volume", "workdir");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Pattern HEREDOC_WORD = Pattern.compile("^([0-9]*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)\\z");

    private final String fileName;
    private final String[] sourceLines;
    private final List<Warning> warnings = new ArrayList<>();

    private InstructionReader(String fileName, String text) {
        this.fileName = fileName;
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.sourceLines = body.split("\n", -1);
    }

    /** Checks every node of {@code tree}; {@code text} is the file, for error excerpts. */
    public static Dockerfile read(String fileName, String text, SyntaxTree tree) {
        InstructionReader reader = new InstructionReader(fileName, text);
        reader.warnings.addAll(tree.warnings());
        List<Instruction> instructions = new ArrayList<>();
        boolean seenFrom = false;
        for (Node node : tree.nodes()) {
            Instruction instruction = reader.instruction(node);
            if (instruction instanceof Instruction.From) {
                seenFrom = true;
            } else if (!seenFrom && !(instruction instanceof Instruction.Arg)) {
                throw reader.error(node, "no build stage in current context");
            }
            instructions.add(instruction);
        }
        return new Dockerfile(tree.directives(), instructions, reader.warnings, tree);
    }

    private Instruction instruction(Node node) {
        try {
            return switch (node.name()) {
                case "from" -> from(node);
                case "run" -> run(node);
                case "cmd" -> new Instruction.Cmd(range(node), node.original(), commandAfterNoFlags(node));
                case "entrypoint" -> new Instruction.Entrypoint(range(node), node.original(), commandAfterNoFlags(node));
                case "shell" -> shell(node);
                case "env" -> {
                    flagsNone(node);
                    yield new Instruction.Env(range(node), node.original(), pairs(node, "ENV"), legacy(node, "ENV"));
                }
                case "label" -> {
                    flagsNone(node);
                    yield new Instruction.Label(range(node), node.original(), pairs(node, "LABEL"), legacy(node, "LABEL"));
                }
                case "arg" -> arg(node);
                case "expose" -> {
                    flagsNone(node);
                    atLeastOne(node, "EXPOSE");
                    yield new Instruction.Expose(range(node), node.original(), node.args());
                }
                case "copy" -> copy(node);
                case "add" -> add(node);
                case "volume" -> volume(node);
                case "user" -> new Instruction.User(range(node), node.original(), exactlyOne(node, "USER", true));
                case "workdir" -> new Instruction.Workdir(range(node), node.original(), exactlyOne(node, "WORKDIR", true));
                case "stopsignal" -> new Instruction.StopSignal(range(node), node.original(),
                        exactlyOne(node, "STOPSIGNAL", false));
                case "maintainer" -> {
                    warn(node, "MaintainerDeprecated", "Maintainer instruction is deprecated in favor of using label");
                    yield new Instruction.Maintainer(range(node), node.original(), exactlyOne(node, "MAINTAINER", false));
                }
                case "healthcheck" -> healthcheck(node);
                case "onbuild" -> onbuild(node);
                default -> throw error(node, "unknown instruction: " + node.keyword()
                        + Suggestions.didYouMean(node.keyword(), INSTRUCTIONS, true));
            };
        } catch (BuildFlags.FlagException e) {
            throw error(node, e.word(), e.getMessage());
        }
    }

    private Instruction.From from(Node node) throws BuildFlags.FlagException {
        BuildFlags flags = new BuildFlags().declare("platform", BuildFlags.Type.STRING);
        flags.parse(node.flags());
        List<String> args = node.args();
        boolean named = args.size() == 3 && args.get(1).equalsIgnoreCase("as");
        if (args.size() != 1 && !named) {
            throw error(node, "FROM requires either one or three arguments");
        }
        Optional<String> stageName = Optional.empty();
        if (named) {
            String written = args.get(2);
            String name = GoText.toLower(written);
            if (!STAGE_NAME.matcher(name).matches()) {
                throw error(node, written, "invalid name for build stage: " + GoText.quote(written)
                        + ", name can't start with a number or contain symbols");
            }
            if (!written.equals(name)) {
                warn(node, "StageNameCasing", "Stage name '" + written + "' should be lowercase");
            }
            boolean fromUpper = node.keyword().equals(node.keyword().toUpperCase(Locale.ROOT));
            boolean asUpper = args.get(1).equals(args.get(1).toUpperCase(Locale.ROOT));
            if (fromUpper != asUpper) {
                warn(node, "FromAsCasing", "'" + args.get(1) + "' and '" + node.keyword() + "' keywords' casing do not match");
            }
            stageName = Optional.of(name);
        }
        return new Instruction.From(range(node), node.original(), args.getFirst(), stageName, flags.string("platform"));
    }

    private Instruction.Run run(Node node) throws BuildFlags.FlagException {
        BuildFlags flags = new BuildFlags()
                .declare("mount", BuildFlags.Type.STRINGS)
                .declare("network", BuildFlags.Type.STRING)
                .declare("security", BuildFlags.Type.STRING)
                .declare("device", BuildFlags.Type.STRINGS);
        flags.parse(node.flags());
        if (!flags.strings("device").isEmpty()) {
            throw error(node, "device feature is only supported in Dockerfile frontend 1.14.0-labs or later");
        }
        Optional<String> network = flags.string("network");
        if (network.isPresent() && !List.of("default", "none", "host").contains(network.get())) {
            throw error(node, "invalid network mode " + GoText.quote(network.get()));
        }
        Optional<String> security = flags.string("security");
        if (security.isPresent() && !List.of("sandbox", "insecure").contains(security.get())) {
            throw error(node, "security " + GoText.quote(security.get()) + " is not valid");
        }
        List<String> mounts = flags.strings("mount");
        for (String mount : mounts) {
            checkMount(node, mount);
        }
        return new Instruction.Run(range(node), node.original(), command(node), mounts, network, security,
                node.heredocs());
    }

    // Specs with variables can only be checked after expansion, by the builder.
    private void checkMount(Node node, String spec) {
        if (spec.contains("$")) {
            return;
        }
        try {
            MountSpecs.parse(spec);
        } catch (IllegalArgumentException e) {
            throw error(node, "--mount=" + spec, e.getMessage());
        }
    }

    private Command command(Node node) {
        if (node.json()) {
            return new Command.ExecForm(node.args());
        }
        if (!node.name().equals("run")) {
            warn(node, "JSONArgsRecommended", "JSON arguments recommended for " + node.keyword().toUpperCase(Locale.ROOT)
                    + " to prevent unintended behavior related to OS signals");
        }
        return new Command.ShellForm(node.args().isEmpty() ? "" : node.args().getFirst());
    }

    private Command commandAfterNoFlags(Node node) throws BuildFlags.FlagException {
        flagsNone(node);
        return command(node);
    }

    private void flagsNone(Node node) throws BuildFlags.FlagException {
        new BuildFlags().parse(node.flags());
    }

    private Instruction.Shell shell(Node node) throws BuildFlags.FlagException {
        flagsNone(node);
        if (!node.json()) {
            throw error(node, "SHELL requires the arguments to be in JSON form");
        }
        if (node.args().isEmpty()) {
            throw error(node, "SHELL requires at least one argument");
        }
        return new Instruction.Shell(range(node), node.original(), node.args());
    }

    private List<KeyValue> pairs(Node node, String instruction) {
        List<String> args = node.args();
        if (args.isEmpty()) {
            throw error(node, instruction + " requires at least one argument");
        }
        if (args.size() % 3 != 0) {
            throw error(node, "Bad input to " + instruction + ", too many arguments");
        }
        List<KeyValue> pairs = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 3) {
            if (args.get(i).isEmpty()) {
                throw error(node, instruction + " names can not be blank");
            }
            pairs.add(new KeyValue(args.get(i), args.get(i + 1)));
        }
        return pairs;
    }

    private boolean legacy(Node node, String instruction) {
        boolean legacy = node.args().size() == 3 && node.args().get(2).isEmpty();
        if (legacy) {
            warn(node, "LegacyKeyValueFormat", "\"" + instruction + " key=value\" should be used instead of legacy \""
                    + instruction + " key value\" format");
        }
        return legacy;
    }

    private Instruction.Arg arg(Node node) {
        if (node.args().isEmpty()) {
            throw error(node, "ARG requires at least one argument");
        }
        List<ArgDefinition> definitions = new ArrayList<>();
        for (String word : node.args()) {
            int equals = word.indexOf('=');
            String name = equals < 0 ? word : word.substring(0, equals);
            if (name.isEmpty()) {
                throw error(node, "ARG names can not be blank");
            }
            definitions.add(new ArgDefinition(name, equals < 0 ? Optional.empty() : Optional.of(word.substring(equals + 1))));
        }
        return new Instruction.Arg(range(node), node.original(), definitions);
    }

    private Instruction.Copy copy(Node node) throws BuildFlags.FlagException {
        BuildFlags flags = new BuildFlags()
                .declare("from", BuildFlags.Type.STRING)
                .declare("chown", BuildFlags.Type.STRING)
                .declare("chmod", BuildFlags.Type.STRING)
                .declare("link", BuildFlags.Type.BOOL)
                .declare("parents", BuildFlags.Type.BOOL)
                .declare("exclude", BuildFlags.Type.STRINGS);
        flags.parse(node.flags());
        List<String> args = sourcesAndDestination(node, "COPY");
        return new Instruction.Copy(range(node), node.original(), args.subList(0, args.size() - 1), args.getLast(),
                flags.string("from"), flags.string("chown"), flags.string("chmod"), flags.bool("link"),
                flags.bool("parents"), flags.strings("exclude"), node.heredocs());
    }

    private Instruction.Add add(Node node) throws BuildFlags.FlagException {
        BuildFlags flags = new BuildFlags()
                .declare("chown", BuildFlags.Type.STRING)
                .declare("chmod", BuildFlags.Type.STRING)
                .declare("checksum", BuildFlags.Type.STRING)
                .declare("link", BuildFlags.Type.BOOL)
                .declare("keep-git-dir", BuildFlags.Type.BOOL)
                .declare("unpack", BuildFlags.Type.BOOL)
                .declare("exclude", BuildFlags.Type.STRINGS);
        flags.parse(node.flags());
        List<String> args = sourcesAndDestination(node, "ADD");
        return new Instruction.Add(range(node), node.original(), args.subList(0, args.size() - 1), args.getLast(),
                flags.string("chown"), flags.string("chmod"), flags.string("checksum"), flags.bool("link"),
                flags.optionalBool("keep-git-dir"), flags.optionalBool("unpack"), flags.strings("exclude"),
                node.heredocs());
    }

    private List<String> sourcesAndDestination(Node node, String instruction) {
        List<String> args = node.args();
        if (args.size() < 2) {
            throw error(node, instruction + " requires at least two arguments, but only one was provided. "
                    + "Destination could not be determined");
        }
        if (!node.heredocs().isEmpty() && HEREDOC_WORD.matcher(args.getLast()).matches()) {
            throw error(node, args.getLast(), instruction + " cannot accept a heredoc as a destination");
        }
        return args;
    }

    private Instruction.Volume volume(Node node) throws BuildFlags.FlagException {
        flagsNone(node);
        atLeastOne(node, "VOLUME");
        for (String path : node.args()) {
            if (GoText.trimSpace(path).isEmpty()) {
                throw error(node, "VOLUME specified can not be an empty string");
            }
        }
        return new Instruction.Volume(range(node), node.original(), node.args());
    }

    private String exactlyOne(Node node, String instruction, boolean parseFlags) throws BuildFlags.FlagException {
        if (parseFlags) {
            flagsNone(node);
        }
        if (node.args().size() != 1) {
            throw error(node, instruction + " requires exactly one argument");
        }
        return node.args().getFirst();
    }

    private void atLeastOne(Node node, String instruction) {
        if (node.args().isEmpty()) {
            throw error(node, instruction + " requires at least one argument");
        }
    }

    private Instruction.Healthcheck healthcheck(Node node) throws BuildFlags.FlagException {
        List<String> args = node.args();
        if (args.isEmpty()) {
            throw error(node, "HEALTHCHECK requires at least one argument");
        }
        String type = args.getFirst().toUpperCase(Locale.ROOT);
        if (type.equals("NONE")) {
            if (args.size() > 1) {
                throw error(node, "HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(range(node), node.original(), new HealthConfig(List.of("NONE"),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        }
        if (!type.equals("CMD")) {
            throw error(node, "Unknown type " + GoText.quote(type) + " in HEALTHCHECK (try CMD)");
        }
        BuildFlags flags = new BuildFlags()
                .declare("interval", BuildFlags.Type.STRING)
                .declare("timeout", BuildFlags.Type.STRING)
                .declare("start-period", BuildFlags.Type.STRING)
                .declare("start-interval", BuildFlags.Type.STRING)
                .declare("retries", BuildFlags.Type.STRING);
        flags.parse(node.flags());
        List<String> command = args.subList(1, args.size());
        if (command.isEmpty() || (!node.json() && command.getFirst().isEmpty())) {
            throw error(node, "Missing command after HEALTHCHECK CMD");
        }
        List<String> test = new ArrayList<>();
        if (node.json()) {
            test.add("CMD");
            test.addAll(command);
        } else {
            test.add("CMD-SHELL");
            test.add(command.getFirst());
        }
        Optional<Integer> retries = Optional.empty();
        if (flags.string("retries").isPresent()) {
            String value = flags.string("retries").get();
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw error(node, "--retries=" + value, "strconv.ParseInt: parsing " + GoText.quote(value)
                        + ": " + (value.matches("[+-]?[0-9]+") ? "value out of range" : "invalid syntax"));
            }
            if (parsed < 0) {
                throw error(node, "--retries=" + value, "--retries cannot be negative (" + parsed + ")");
            }
            retries = Optional.of(parsed);
        }
        return new Instruction.Healthcheck(range(node), node.original(), new HealthConfig(test,
                duration(node, flags, "interval"), duration(node, flags, "timeout"),
                duration(node, flags, "start-period"), duration(node, flags, "start-interval"), retries));
    }

    private Optional<Duration> duration(Node node, BuildFlags flags, String name) {
        Optional<String> value = flags.string(name);
        if (value.isEmpty() || value.get().isEmpty()) {
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = GoDurations.parse(value.get());
        } catch (IllegalArgumentException e) {
            throw error(node, "--" + name + "=" + value.get(), e.getMessage());
        }
        if (duration.isNegative() || (!duration.isZero() && duration.compareTo(Duration.ofMillis(1)) < 0)) {
            throw error(node, "--" + name + "=" + value.get(), "Interval " + GoText.quote(name) + " cannot be less than 1ms");
        }
        return Optional.of(duration);
    }

    private Instruction.Onbuild onbuild(Node node) throws BuildFlags.FlagException {
        flagsNone(node);
        if (node.trigger().isEmpty()) {
            throw error(node, "ONBUILD requires at least one argument");
        }
        Node trigger = node.trigger().get();
        switch (trigger.name()) {
            case "onbuild" -> throw error(node, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "from", "maintainer" -> throw error(node, trigger.keyword().toUpperCase(Locale.ROOT)
                    + " isn't allowed as an ONBUILD trigger");
            default -> { }
        }
        String line = GoText.trimSpace(node.original());
        List<String> head = LineArguments.splitInTwo(line);
        StringBuilder expression = new StringBuilder(head.size() == 2 ? head.get(1) : "");
        for (Heredoc heredoc : node.heredocs()) {
            expression.append('\n').append(heredoc.content()).append(heredoc.name());
        }
        return new Instruction.Onbuild(range(node), node.original(), expression.toString(), trigger);
    }

    private static SourceRange range(Node node) {
        return node.range().orElseThrow();
    }

    private void warn(Node node, String rule, String message) {
        warnings.add(new Warning(rule, message, range(node).startLine()));
    }

    private DockerfileException error(Node node, String message) {
        return error(node, null, message);
    }

    // Points at `needle` when it can be found on the instruction's lines, else at the keyword.
    private DockerfileException error(Node node, String needle, String message) {
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
}
