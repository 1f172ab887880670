package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildOutline;
import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.Environment;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.Node;
import dev.jbuild.dockerfile.RunMount;
import dev.jbuild.dockerfile.ShellLexer;
import dev.jbuild.dockerfile.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Dockerfile's targets and a target's outline, for {@code --call targets} and {@code --call outline}:
 * read from the Dockerfile and the build plan, without building anything. Descriptions follow
 * BuildKit: the comment line just above a FROM or ARG that starts with the stage's or arg's name.
 */
final class Outlines {
    private Outlines() {
    }

    static List<BuildOutline.Target> targets(Dockerfile dockerfile) {
        Map<Integer, List<String>> comments = commentsByLine(dockerfile);
        List<Stage> stages = dockerfile.stages();
        List<BuildOutline.Target> targets = new ArrayList<>();
        for (Stage stage : stages) {
            Instruction.From from = stage.from();
            String name = stage.name().orElse("");
            targets.add(new BuildOutline.Target(name, stage.index() == stages.size() - 1,
                    description(comments, from.range().startLine(), name), from.image(), from.platform().orElse("")));
        }
        return targets;
    }

    /**
     * The outline of the plan's target, as BuildKit's frontend makes it. Its args are those the target's
     * stages use: each stage's ARGs and the global args its FROM names, with the global args their defaults
     * name, transitively. A name used in several stages is described where the target first meets it
     * (its own stage, then the stages it needs). Args, like BuildKit's, come in the order of their lines.
     */
    static BuildOutline outline(Dockerfile dockerfile, BuildPlan plan) {
        Map<Integer, List<String>> comments = commentsByLine(dockerfile);
        ShellLexer lexer = plan.lexer();
        Map<String, Declared> globals = globalArgs(dockerfile, plan, comments);
        Map<String, Declared> args = new LinkedHashMap<>();
        Map<String, Boolean> secrets = new LinkedHashMap<>();
        Map<String, Boolean> ssh = new LinkedHashMap<>();
        for (PlannedStage planned : plan.stages()) {
            Instruction.From from = planned.stage().from();
            Map<String, Declared> used = new LinkedHashMap<>();
            for (Declared global : globals.values()) {
                if (references(from.image() + " " + from.platform().orElse(""), global.arg().name())) {
                    markUsed(global, globals, used);
                }
            }
            ArgScope scope = plan.globalScope().newStage();
            for (Instruction instruction : planned.stage().instructions()) {
                if (instruction instanceof Instruction.Arg arg) {
                    declare(scope, arg, lexer);
                    for (ArgDefinition definition : arg.args()) {
                        String name = definition.name();
                        used.put(name, new Declared(arg.range().startLine(), new BuildOutline.Arg(name,
                                scope.value(name).orElse(""), description(comments, arg.range().startLine(), name)),
                                Set.of()));
                    }
                } else if (instruction instanceof Instruction.Run run) {
                    for (String spec : run.mountSpecs()) {
                        switch (mount(spec, lexer, scope)) {
                            case RunMount.Secret secret -> secrets.merge(secret.id(), secret.required(), Boolean::logicalOr);
                            case RunMount.Ssh agent -> ssh.merge(agent.id(), agent.required(), Boolean::logicalOr);
                            case null, default -> { }
                        }
                    }
                }
            }
            // the plan lists its stages in file order, the target last: as BuildKit meets the target first, the later wins
            args.putAll(used);
        }
        Stage target = plan.stage(plan.target()).stage();
        String name = target.name().orElse("");
        List<BuildOutline.Arg> sorted = args.values().stream().sorted(Comparator.comparingInt(Declared::line))
                .map(Declared::arg).toList();
        return new BuildOutline(name, description(comments, target.from().range().startLine(), name), sorted,
                mounts(secrets), mounts(ssh));
    }

    /** An arg as a stage sees it, with its line and the global args its default names. */
    private record Declared(int line, BuildOutline.Arg arg, Set<String> names) {
    }

    /** The global args by name, each with the earlier global args its default names. */
    private static Map<String, Declared> globalArgs(Dockerfile dockerfile, BuildPlan plan,
                                                    Map<Integer, List<String>> comments) {
        Map<String, Declared> globals = new LinkedHashMap<>();
        for (Instruction.Arg global : dockerfile.globalArgs()) {
            int line = global.range().startLine();
            for (ArgDefinition definition : global.args()) {
                String name = definition.name();
                Set<String> names = new HashSet<>();
                definition.defaultValue().ifPresent(value -> globals.keySet().stream()
                        .filter(earlier -> references(value, earlier)).forEach(names::add));
                globals.put(name, new Declared(line, new BuildOutline.Arg(name,
                        plan.globalScope().value(name).orElse(""), description(comments, line, name)), names));
            }
        }
        return globals;
    }

    private static void markUsed(Declared arg, Map<String, Declared> globals, Map<String, Declared> used) {
        if (used.putIfAbsent(arg.arg().name(), arg) == null) {
            for (String name : arg.names()) {
                markUsed(globals.get(name), globals, used);
            }
        }
    }

    private static void declare(ArgScope scope, Instruction.Arg arg, ShellLexer lexer) {
        try {
            scope.declare(arg.args(), lexer, Environment.empty());
        } catch (ExpansionException unexpandable) {
            // a default that needs the stage's ENV to expand: the outline shows it without a value
        }
    }

    /** The mount a spec names, expanded as the step would expand it; null when it cannot be read without building. */
    private static RunMount mount(String spec, ShellLexer lexer, ArgScope scope) {
        try {
            return RunMount.parse(lexer.processWord(spec, scope.expansionEnvironment(Environment.empty())));
        } catch (ExpansionException | IllegalArgumentException unreadable) {
            return null;
        }
    }

    private static List<BuildOutline.Mount> mounts(Map<String, Boolean> required) {
        return required.entrySet().stream().map(entry -> new BuildOutline.Mount(entry.getKey(), entry.getValue()))
                .toList();
    }

    private static boolean references(String text, String name) {
        return Pattern.compile("\\$\\{?" + Pattern.quote(name) + "(?![A-Za-z0-9_])").matcher(text).find();
    }

    private static String description(Map<Integer, List<String>> comments, int line, String name) {
        if (name.isEmpty()) {
            return "";
        }
        for (String comment : comments.getOrDefault(line, List.of())) {
            if (comment.startsWith(name + " ")) {
                return comment.substring(name.length() + 1);
            }
        }
        return "";
    }

    private static Map<Integer, List<String>> commentsByLine(Dockerfile dockerfile) {
        Map<Integer, List<String>> comments = new HashMap<>();
        for (Node node : dockerfile.syntax().nodes()) {
            node.range().ifPresent(range -> comments.put(range.startLine(), node.comments()));
        }
        return comments;
    }
}
