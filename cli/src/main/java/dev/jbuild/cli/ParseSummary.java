package dev.jbuild.cli;

import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.Command;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.Stage;
import java.util.Locale;

/** The readable summary {@code jbuild parse FILE} prints: directives, global ARGs, stages and their instructions. */
final class ParseSummary {
    private ParseSummary() {
    }

    static String of(Dockerfile dockerfile) {
        StringBuilder out = new StringBuilder();
        var stages = dockerfile.stages();
        out.append(stages.size()).append(stages.size() == 1 ? " stage, " : " stages, ")
                .append(dockerfile.instructions().size()).append(" instructions, escape ")
                .append(dockerfile.directives().escapeToken());
        dockerfile.directives().syntax().ifPresent(syntax -> out.append(", syntax ").append(syntax));
        out.append('\n');
        for (Instruction.Arg arg : dockerfile.globalArgs()) {
            for (ArgDefinition definition : arg.args()) {
                out.append("global ARG ").append(definition.name());
                definition.defaultValue().ifPresent(value -> out.append('=').append(value));
                out.append('\n');
            }
        }
        for (Stage stage : stages) {
            Instruction.From from = stage.from();
            out.append("stage ").append(stage.index());
            stage.name().ifPresent(name -> out.append(" \"").append(name).append('"'));
            out.append(": FROM ").append(from.image());
            from.platform().ifPresent(platform -> out.append(" (platform ").append(platform).append(')'));
            out.append("  [line ").append(from.range().startLine()).append("]\n");
            for (Instruction instruction : stage.instructions()) {
                out.append("  ").append(String.format("%-11s", keyword(instruction))).append(' ')
                        .append(detail(instruction)).append("  [line ").append(instruction.range().startLine());
                if (instruction.range().endLine() != instruction.range().startLine()) {
                    out.append('-').append(instruction.range().endLine());
                }
                out.append("]\n");
            }
        }
        if (!dockerfile.warnings().isEmpty()) {
            out.append(dockerfile.warnings().size()).append(" warning(s), see above\n");
        }
        return out.toString();
    }

    private static String keyword(Instruction instruction) {
        return instruction.getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    private static String detail(Instruction instruction) {
        return switch (instruction) {
            case Instruction.Run run -> command(run.command())
                    + (run.mountSpecs().isEmpty() ? "" : "  (mounts: " + String.join(" ", run.mountSpecs()) + ")")
                    + (run.heredocs().isEmpty() ? "" : "  (" + run.heredocs().size() + " heredoc(s))");
            case Instruction.Cmd cmd -> command(cmd.command());
            case Instruction.Entrypoint entrypoint -> command(entrypoint.command());
            case Instruction.Copy copy -> String.join(" ", copy.sources()) + " -> " + copy.destination()
                    + copy.from().map(from -> "  (from " + from + ")").orElse("");
            case Instruction.Add add -> String.join(" ", add.sources()) + " -> " + add.destination();
            case Instruction.Env env -> env.pairs().stream().map(p -> p.key() + "=" + p.value()).reduce((a, b) -> a + " " + b).orElse("");
            case Instruction.Label label -> label.pairs().stream().map(p -> p.key() + "=" + p.value()).reduce((a, b) -> a + " " + b).orElse("");
            case Instruction.Arg arg -> arg.args().stream().map(a -> a.name() + a.defaultValue().map(v -> "=" + v).orElse(""))
                    .reduce((a, b) -> a + " " + b).orElse("");
            case Instruction.Expose expose -> String.join(" ", expose.ports());
            case Instruction.Volume volume -> String.join(" ", volume.paths());
            case Instruction.Shell shell -> String.join(" ", shell.shell());
            case Instruction.User user -> user.user();
            case Instruction.Workdir workdir -> workdir.path();
            case Instruction.StopSignal signal -> signal.signal();
            case Instruction.Maintainer maintainer -> maintainer.maintainer();
            case Instruction.Healthcheck health -> String.join(" ", health.health().test());
            case Instruction.Onbuild onbuild -> onbuild.expression().lines().findFirst().orElse("");
            case Instruction.From from -> from.image();
        };
    }

    private static String command(Command command) {
        return switch (command) {
            case Command.ShellForm shell -> shell.script();
            case Command.ExecForm exec -> exec.arguments().toString();
        };
    }
}
