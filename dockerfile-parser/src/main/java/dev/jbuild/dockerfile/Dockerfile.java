package dev.jbuild.dockerfile;

import dev.jbuild.dockerfile.internal.LintOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed and checked Dockerfile.
 *
 * @param directives   the parser directives (escape token, syntax, check)
 * @param instructions every instruction in file order
 * @param warnings     what BuildKit would warn about (lint rules), less the rules that
 *                     {@code # check=skip=RULE,…} or {@code skip=all} turns off
 * @param syntax       the line-parser view it came from
 */
public record Dockerfile(Directives directives, List<Instruction> instructions, List<Warning> warnings,
                         SyntaxTree syntax) {
    public Dockerfile {
        Objects.requireNonNull(directives, "directives");
        instructions = List.copyOf(instructions);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(syntax, "syntax");
    }

    /** True when {@code # check=error=true} makes the {@link #warnings} fail a build. */
    public boolean warningsAreErrors() {
        return LintOptions.of(directives).errors();
    }

    /** The ARG instructions before the first FROM: their values are visible to every FROM line. */
    public List<Instruction.Arg> globalArgs() {
        List<Instruction.Arg> args = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction instanceof Instruction.Arg arg) {
                args.add(arg);
            } else {
                break;
            }
        }
        return List.copyOf(args);
    }

    /** The build stages in order. */
    public List<Stage> stages() {
        List<Stage> stages = new ArrayList<>();
        Instruction.From from = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction instanceof Instruction.From next) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), from, body));
                }
                from = next;
                body = new ArrayList<>();
            } else if (from != null) {
                body.add(instruction);
            }
        }
        if (from != null) {
            stages.add(new Stage(stages.size(), from, body));
        }
        return List.copyOf(stages);
    }

    /** The stage called {@code name} (case-insensitive), or the one at that index when {@code name} is a number. */
    public Optional<Stage> stage(String name) {
        List<Stage> stages = stages();
        for (Stage stage : stages) {
            if (stage.name().filter(n -> n.equalsIgnoreCase(name)).isPresent()) {
                return Optional.of(stage);
            }
        }
        if (name.matches("[0-9]{1,9}")) {
            int index = Integer.parseInt(name);
            return index < stages.size() ? Optional.of(stages.get(index)) : Optional.empty();
        }
        return Optional.empty();
    }
}
