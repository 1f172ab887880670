package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.Environment;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.KeyValue;
import dev.jbuild.dockerfile.RunMount;
import dev.jbuild.dockerfile.ShellLexer;
import dev.jbuild.dockerfile.Stage;
import dev.jbuild.oci.Platform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stages a build runs: the stage DAG from FROM, {@code COPY --from} and {@code RUN --mount from=},
 * cut down to what the target needs, with FROM lines expanded against the global args.
 *
 * @param stages      the needed stages, in Dockerfile order (every dependency before its dependants)
 * @param target      the index of the target stage
 * @param globalScope the global ARG scope, which stage scopes are made from
 * @param lexer       the expander for this Dockerfile's escape token
 */
public record BuildPlan(List<PlannedStage> stages, int target, ArgScope globalScope, ShellLexer lexer) {
    public BuildPlan {
        stages = List.copyOf(stages);
        Objects.requireNonNull(globalScope, "globalScope");
        Objects.requireNonNull(lexer, "lexer");
    }

    /** The planned stage with Dockerfile index {@code index}. */
    public PlannedStage stage(int index) {
        return stages.stream().filter(s -> s.index() == index).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("stage " + index + " is not part of the plan"));
    }

    /** The args every build gets without declaring them globally: the target and build platforms. */
    public static Map<String, String> automaticArgs(Platform target, Platform build) {
        Map<String, String> args = new LinkedHashMap<>();
        put(args, "TARGET", target);
        put(args, "BUILD", build);
        return args;
    }

    private static void put(Map<String, String> args, String prefix, Platform platform) {
        args.put(prefix + "PLATFORM", platform.format());
        args.put(prefix + "OS", platform.os());
        args.put(prefix + "ARCH", platform.architecture());
        args.put(prefix + "VARIANT", platform.variant());
    }

    /**
     * Plans a build of {@code dockerfile}'s {@code target} stage (the last one when empty). The names in
     * {@code namedContexts} ({@code --build-context}, lower case) are external sources, even where a stage has
     * the same name, as with buildx.
     *
     * @throws BuildException when the target does not exist, a FROM is empty after expansion, or a
     *                        {@code --from} names the stage itself or a later one
     */
    public static BuildPlan of(Dockerfile dockerfile, Map<String, String> buildArgs, Optional<String> target,
                               Platform targetPlatform, Platform buildPlatform, Set<String> namedContexts)
            throws BuildException {
        List<Stage> stages = dockerfile.stages();
        if (stages.isEmpty()) {
            throw new BuildException("the Dockerfile has no FROM instruction");
        }
        ShellLexer lexer = ShellLexer.withEscape(dockerfile.directives().escapeToken());
        ArgScope global = ArgScope.global(buildArgs, automaticArgs(targetPlatform, buildPlatform));
        for (Instruction.Arg arg : dockerfile.globalArgs()) {
            try {
                global.declare(arg.args(), lexer, Environment.empty());
            } catch (ExpansionException e) {
                throw new BuildException(arg.range().startLine(), "line " + arg.range().startLine() + ": "
                        + e.getMessage(), e);
            }
        }
        Map<String, Integer> byName = new HashMap<>();
        List<PlannedStage> all = new ArrayList<>();
        for (Stage stage : stages) {
            all.add(planStage(stage, byName, namedContexts, global, lexer));
            stage.name().ifPresent(name -> byName.putIfAbsent(name.toLowerCase(Locale.ROOT), stage.index()));
        }
        int targetIndex = stages.size() - 1;
        if (target.isPresent()) {
            targetIndex = dockerfile.stage(target.get()).orElseThrow(() -> new BuildException("target stage \""
                    + target.get() + "\" could not be found")).index();
        }
        Set<Integer> needed = new HashSet<>();
        Deque<Integer> pending = new ArrayDeque<>(List.of(targetIndex));
        while (!pending.isEmpty()) {
            int index = pending.pop();
            if (needed.add(index)) {
                pending.addAll(all.get(index).dependencies());
            }
        }
        List<PlannedStage> plan = all.stream().filter(s -> needed.contains(s.index())).toList();
        return new BuildPlan(plan, targetIndex, global, lexer);
    }

    private static PlannedStage planStage(Stage stage, Map<String, Integer> stagesByName, Set<String> namedContexts,
                                          ArgScope global, ShellLexer lexer) throws BuildException {
        Map<String, Integer> earlier = new HashMap<>(stagesByName);
        earlier.keySet().removeAll(namedContexts);
        Instruction.From from = stage.from();
        int line = from.range().startLine();
        Environment globalEnvironment = global.expansionEnvironment(Environment.empty());
        String image;
        Optional<Platform> platform;
        try {
            image = lexer.processWord(from.image(), globalEnvironment);
            platform = from.platform().isPresent()
                    ? Optional.of(Platform.parse(lexer.processWord(from.platform().get(), globalEnvironment)))
                    : Optional.empty();
        } catch (ExpansionException | IllegalArgumentException e) {
            throw new BuildException(line, "line " + line + ": " + e.getMessage(), e);
        }
        if (image.isEmpty()) {
            throw new BuildException(line, "line " + line + ": base name (" + from.image() + ") should not be blank", null);
        }
        Set<Integer> dependencies = new HashSet<>();
        Set<String> images = new HashSet<>();
        StageBase base;
        Integer baseStage = earlier.get(image.toLowerCase(Locale.ROOT));
        if (baseStage != null) {
            base = new StageBase.EarlierStage(baseStage);
            dependencies.add(baseStage);
        } else if (image.equalsIgnoreCase("scratch")) {
            base = new StageBase.Scratch();
        } else {
            base = new StageBase.Image(image, platform);
        }
        ArgScope scope = global.newStage();
        Map<String, String> env = new TreeMap<>();
        for (Instruction instruction : stage.instructions()) {
            int at = instruction.range().startLine();
            try {
                Environment environment = scope.expansionEnvironment(Environment.of(env));
                switch (instruction) {
                    case Instruction.Arg arg -> scope.declare(arg.args(), lexer, Environment.of(env));
                    case Instruction.Env set -> {
                        for (KeyValue pair : set.pairs()) {
                            env.put(pair.key(), lexer.processWord(pair.value(),
                                    scope.expansionEnvironment(Environment.of(env))));
                        }
                    }
                    case Instruction.Copy copy when copy.from().isPresent() -> addSource(
                            lexer.processWord(copy.from().get(), environment), stage, earlier, namedContexts, dependencies, images, at);
                    case Instruction.Run run -> {
                        for (String spec : run.mountSpecs()) {
                            RunMount mount = RunMount.parse(lexer.processWord(spec, environment));
                            Optional<String> mountFrom = switch (mount) {
                                case RunMount.Bind bind -> bind.from();
                                case RunMount.Cache cache -> cache.from();
                                default -> Optional.empty();
                            };
                            if (mountFrom.isPresent()) {
                                addSource(mountFrom.get(), stage, earlier, namedContexts, dependencies, images, at);
                            }
                        }
                    }
                    default -> {
                    }
                }
            } catch (ExpansionException | IllegalArgumentException e) {
                throw new BuildException(at, "line " + at + ": " + e.getMessage(), e);
            }
        }
        return new PlannedStage(stage, base, dependencies, images);
    }

    private static void addSource(String from, Stage stage, Map<String, Integer> earlier, Set<String> namedContexts,
                                  Set<Integer> dependencies, Set<String> images, int line) throws BuildException {
        String name = from.toLowerCase(Locale.ROOT);
        if (!namedContexts.contains(name)
                && (stage.name().filter(name::equals).isPresent() || name.equals(Integer.toString(stage.index())))) {
            throw new BuildException(line, "line " + line + ": circular dependency: stage "
                    + stage.name().orElse(Integer.toString(stage.index())) + " copies from itself", null);
        }
        Integer byName = earlier.get(name);
        if (byName != null) {
            dependencies.add(byName);
        } else if (name.matches("[0-9]{1,9}") && !namedContexts.contains(name)) {
            int index = Integer.parseInt(name);
            if (index >= stage.index()) {
                throw new BuildException(line, "line " + line + ": --from=" + from
                        + " refers to a stage that is not before this one", null);
            }
            dependencies.add(index);
        } else {
            images.add(from);
        }
    }

    /** The planned stage a {@code --from} value (already expanded) names, if it names one before {@code beforeIndex}. */
    public Optional<PlannedStage> stageNamed(String from, int beforeIndex) {
        String name = from.toLowerCase(Locale.ROOT);
        for (PlannedStage stage : stages) {
            if (stage.index() < beforeIndex && stage.stage().name().filter(name::equals).isPresent()) {
                return Optional.of(stage);
            }
        }
        for (PlannedStage stage : stages) {
            if (stage.index() < beforeIndex && name.equals(Integer.toString(stage.index()))) {
                return Optional.of(stage);
            }
        }
        return Optional.empty();
    }
}
