package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.Command;
import dev.jbuild.dockerfile.HealthConfig;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The instructions that run or name a command: RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK. */
final class CommandInstructions {
    private final InstructionContext context;

    CommandInstructions(InstructionContext context) {
        this.context = context;
    }

    Instruction.Run run(Node node) throws BuildFlags.FlagException {
        BuildFlags flags = new BuildFlags()
                .declare("mount", BuildFlags.Type.STRINGS)
                .declare("network", BuildFlags.Type.STRING)
                .declare("security", BuildFlags.Type.STRING)
                .declare("device", BuildFlags.Type.STRINGS);
        flags.parse(node.flags());
        if (!flags.strings("device").isEmpty()) {
            throw context.error(node, "device feature is only supported in Dockerfile frontend 1.14.0-labs or later");
        }
        Optional<String> network = flags.string("network");
        if (network.isPresent() && !List.of("default", "none", "host").contains(network.get())) {
            throw context.error(node, "invalid network mode " + GoText.quote(network.get()));
        }
        Optional<String> security = flags.string("security");
        if (security.isPresent() && !List.of("sandbox", "insecure").contains(security.get())) {
            throw context.error(node, "security " + GoText.quote(security.get()) + " is not valid");
        }
        List<String> mounts = flags.strings("mount");
        for (String mount : mounts) {
            checkMount(node, mount);
        }
        return new Instruction.Run(InstructionContext.range(node), node.original(), command(node), mounts, network, security,
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
            throw context.error(node, "--mount=" + spec, e.getMessage());
        }
    }

    private Command command(Node node) {
        if (node.json()) {
            return new Command.ExecForm(node.args());
        }
        return new Command.ShellForm(node.args().isEmpty() ? "" : node.args().getFirst());
    }

    Command commandAfterNoFlags(Node node) throws BuildFlags.FlagException {
        context.flagsNone(node);
        return command(node);
    }

    Instruction.Shell shell(Node node) throws BuildFlags.FlagException {
        context.flagsNone(node);
        if (!node.json()) {
            throw context.error(node, "SHELL requires the arguments to be in JSON form");
        }
        if (node.args().isEmpty()) {
            throw context.error(node, "SHELL requires at least one argument");
        }
        return new Instruction.Shell(InstructionContext.range(node), node.original(), node.args());
    }

    Instruction.Healthcheck healthcheck(Node node) throws BuildFlags.FlagException {
        List<String> args = node.args();
        if (args.isEmpty()) {
            throw context.error(node, "HEALTHCHECK requires at least one argument");
        }
        String type = args.getFirst().toUpperCase(Locale.ROOT);
        if (type.equals("NONE")) {
            if (args.size() > 1) {
                throw context.error(node, "HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(InstructionContext.range(node), node.original(), new HealthConfig(List.of("NONE"),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        }
        if (!type.equals("CMD")) {
            throw context.error(node, "Unknown type " + GoText.quote(type) + " in HEALTHCHECK (try CMD)");
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
            throw context.error(node, "Missing command after HEALTHCHECK CMD");
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
                throw context.error(node, "--retries=" + value, "strconv.ParseInt: parsing " + GoText.quote(value)
                        + ": " + (value.matches("[+-]?[0-9]+") ? "value out of range" : "invalid syntax"));
            }
            if (parsed < 0) {
                throw context.error(node, "--retries=" + value, "--retries cannot be negative (" + parsed + ")");
            }
            retries = Optional.of(parsed);
        }
        return new Instruction.Healthcheck(InstructionContext.range(node), node.original(), new HealthConfig(test,
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
            throw context.error(node, "--" + name + "=" + value.get(), e.getMessage());
        }
        if (duration.isNegative() || (!duration.isZero() && duration.compareTo(Duration.ofMillis(1)) < 0)) {
            throw context.error(node, "--" + name + "=" + value.get(), "Interval " + GoText.quote(name) + " cannot be less than 1ms");
        }
        return Optional.of(duration);
    }
}
