package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.BuildException;
import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.DockerfileParser;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.KeyValue;
import dev.jbuild.oci.ContainerConfig;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** Runs one stage: its base, then each instruction as a cached step, and returns the stage's final image state. */
public final class StageExecutor {
    /** What a step does on a cache miss. */
    @FunctionalInterface
    interface StepBody {
        ImageState run(int step) throws IOException, BuildException, InterruptedException;
    }

    private final BuildSession session;
    private final PlannedStage stage;
    private final ArgScope scope;
    private int total;
    private ImageState state;
    private boolean cmdSetInStage;
    private int position;

    public StageExecutor(BuildSession session, PlannedStage stage) {
        this.session = session;
        this.stage = stage;
        this.scope = session.plan.globalScope().newStage();
        this.total = stage.stage().instructions().size() + 1;
    }

    /** Runs the stage to its end. */
    public ImageState run() throws IOException, BuildException, InterruptedException {
        state = base();
        List<String> triggers = state.config().config().onBuild();
        if (!triggers.isEmpty()) {
            total += triggers.size();
            state = state.withConfig(state.config().withConfig(state.config().config().toBuilder()
                    .onBuild(List.of()).build()));
            int fromLine = stage.stage().from().range().startLine();
            for (String trigger : triggers) {
                // a trigger is one instruction without its own FROM; errors in it belong to this stage's FROM line
                List<Instruction> parsed = DockerfileParser.parse("ONBUILD", "FROM scratch\n" + trigger).stages()
                        .getFirst().instructions();
                for (Instruction instruction : parsed) {
                    execute(instruction, "ONBUILD " + trigger.lines().findFirst().orElse(trigger), fromLine);
                }
            }
        }
        for (Instruction instruction : stage.stage().instructions()) {
            execute(instruction, instruction.original(), instruction.range().startLine());
        }
        return state;
    }

    private ImageState base() throws IOException, BuildException, InterruptedException {
        position = 1;
        Instruction.From from = stage.stage().from();
        int step = session.nextStep();
        long start = System.nanoTime();
        session.progress().onEvent(new BuildEvent.StepStarted(step, label() + from.original()));
        ImageState base = switch (stage.base()) {
            case StageBase.Scratch scratch -> new ImageState(ImageConfig.empty(session.platform), List.of());
            case StageBase.EarlierStage earlier -> awaitStage(earlier.index(), from.range().startLine());
            case StageBase.Image image -> {
                Platform wanted = image.platform().orElse(session.platform);
                try {
                    yield ImageState.of(session.images.resolve(image.reference(), wanted));
                } catch (IOException e) {
                    session.progress().onEvent(new BuildEvent.StepFailed(step, elapsed(start), e.getMessage()));
                    throw new BuildException(from.range().startLine(), "line " + from.range().startLine() + ": "
                            + image.reference() + ": " + e.getMessage(), e);
                }
            }
        };
        session.progress().onEvent(new BuildEvent.StepDone(step, elapsed(start)));
        return base;
    }

    ImageState awaitStage(int index, int line) throws BuildException, InterruptedException {
        try {
            return session.stageResults.get(index).get();
        } catch (ExecutionException e) {
            throw new BuildException(line, "stage " + index + " failed", e.getCause());
        }
    }

    private String label() {
        return "[" + stage.displayName() + " " + position + "/" + total + "] ";
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void execute(Instruction instruction, String display, int line)
            throws IOException, BuildException, InterruptedException {
        position++;
        StepContext context = new StepContext(session, stage, state, scope, session.plan.lexer(), line);
        try {
            switch (instruction) {
                case Instruction.Arg arg -> {
                    scope.declare(arg.args(), session.plan.lexer(), context.environment());
                    List<String> parts = new ArrayList<>();
                    for (ArgDefinition definition : arg.args()) {
                        parts.add(scope.value(definition.name()).map(v -> definition.name() + "=" + v)
                                .orElse(definition.name()));
                    }
                    metadata(display, line, "ARG " + String.join(" ", parts), config -> config);
                }
                case Instruction.Env env -> {
                    List<String> pairs = new ArrayList<>();
                    ContainerConfig.Builder builder = state.config().config().toBuilder();
                    StepContext current = context;
                    for (KeyValue pair : env.pairs()) {
                        String value = current.expand(pair.value());
                        String key = current.expand(pair.key());
                        builder.env(key, value);
                        pairs.add(key + "=" + value);
                        current = new StepContext(session, stage, state.withConfig(state.config().withConfig(builder.build())),
                                scope, session.plan.lexer(), line);
                    }
                    ContainerConfig changed = builder.build();
                    metadata(display, line, "ENV " + String.join(" ", pairs), config -> changed);
                }
                case Instruction.Label label -> {
                    ContainerConfig.Builder builder = state.config().config().toBuilder();
                    List<String> pairs = new ArrayList<>();
                    for (KeyValue pair : label.pairs()) {
                        String key = context.expand(pair.key());
                        String value = context.expand(pair.value());
                        builder.label(key, value);
                        pairs.add(key + "=" + value);
                    }
                    ContainerConfig changed = builder.build();
                    metadata(display, line, "LABEL " + String.join(" ", pairs), config -> changed);
                }
                case Instruction.Expose expose -> {
                    ContainerConfig.Builder builder = state.config().config().toBuilder();
                    List<String> ports = new ArrayList<>();
                    for (String port : expose.ports()) {
                        for (String word : session.plan.lexer().processWords(port, context.environment())) {
                            String normalised = ConfigChanges.port(word);
                            builder.exposePort(normalised);
                            ports.add(normalised + ":{}");
                        }
                    }
                    ContainerConfig changed = builder.build();
                    metadata(display, line, "EXPOSE map[" + String.join(" ", ports) + "]", config -> changed);
                }
                case Instruction.Volume volume -> {
                    ContainerConfig.Builder builder = state.config().config().toBuilder();
                    List<String> paths = context.expandEach(volume.paths());
                    for (String path : paths) {
                        if (path.isBlank()) {
                            throw new BuildException(line, "line " + line + ": VOLUME specified can not be an empty string", null);
                        }
                        builder.volume(path);
                    }
                    ContainerConfig changed = builder.build();
                    metadata(display, line, "VOLUME [" + String.join(" ", paths) + "]", config -> changed);
                }
                case Instruction.User user -> {
                    String value = context.expand(user.user());
                    metadata(display, line, "USER " + value, config -> config.toBuilder().user(value).build());
                }
                case Instruction.StopSignal signal -> {
                    String value = context.expand(signal.signal());
                    metadata(display, line, "STOPSIGNAL " + value, config -> config.toBuilder().stopSignal(value).build());
                }
                case Instruction.Maintainer maintainer -> {
                    String createdBy = "MAINTAINER " + maintainer.maintainer();
                    step(display, line, StepKey.NO_CONTENT, createdBy, Map.of(), number -> state.withConfig(
                            state.config().withAuthor(maintainer.maintainer())).withEmptyLayer(context.history(createdBy, true)));
                }
                case Instruction.Healthcheck health -> metadata(display, line,
                        "HEALTHCHECK " + ConfigChanges.quotedList(health.health().test()),
                        config -> config.toBuilder().healthcheck(ConfigChanges.healthCheck(health.health())).build());
                case Instruction.Cmd cmd -> {
                    List<String> argv = ConfigChanges.argv(cmd.command(), ConfigChanges.shell(state.config().config()));
                    cmdSetInStage = true;
                    metadata(display, line, "CMD " + ConfigChanges.quotedList(argv), config -> config.toBuilder().cmd(argv).build());
                }
                case Instruction.Entrypoint entrypoint -> {
                    List<String> argv = ConfigChanges.argv(entrypoint.command(), ConfigChanges.shell(state.config().config()));
                    boolean resetCmd = !cmdSetInStage;
                    metadata(display, line, "ENTRYPOINT " + ConfigChanges.quotedList(argv), config -> {
                        ContainerConfig.Builder builder = config.toBuilder().entrypoint(argv);
                        return resetCmd ? builder.cmd(null).build() : builder.build();
                    });
                }
                case Instruction.Shell shell -> metadata(display, line, "SHELL " + ConfigChanges.quotedList(shell.shell()),
                        config -> config.toBuilder().shell(shell.shell()).build());
                case Instruction.Onbuild onbuild -> metadata(display, line, "ONBUILD " + onbuild.expression(),
                        config -> config.toBuilder().addOnBuild(onbuild.expression()).build());
                case Instruction.Workdir workdir -> workdir(display, context, workdir);
                case Instruction.Run run -> {
                    RunStep runStep = new RunStep(context, run);
                    StepKey key = runStep.key();
                    step(display, line, key.content(), key.instruction(), key.args(), runStep::execute);
                }
                case Instruction.Copy copy -> copy(display, context, CopyStep.of(context, copy));
                case Instruction.Add add -> copy(display, context, CopyStep.of(context, add));
                case Instruction.From from -> throw new BuildException(line, "line " + line
                        + ": FROM inside a stage", null);
            }
        } catch (ExpansionException | IllegalArgumentException e) {
            throw new BuildException(line, "line " + line + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void copy(String display, StepContext context, CopyStep copy) throws IOException, BuildException,
            InterruptedException {
        StepKey key = copy.key();
        step(display, context.line(), key.content(), copy.filesContent(), key.instruction(), key.args(), copy::execute);
    }

    private void workdir(String display, StepContext context, Instruction.Workdir workdir)
            throws ExpansionException, IOException, BuildException, InterruptedException {
        String path = PathNames.absolute(context.expand(workdir.path()), state.config().config().workingDir());
        String createdBy = "WORKDIR " + path;
        step(display, context.line(), StepKey.NO_CONTENT, createdBy, Map.of(), number -> {
            ImageState changed = state.withConfig(state.config().withConfig(
                    state.config().config().toBuilder().workingDir(path).build()));
            String relative = path.substring(1);
            if (relative.isEmpty() || session.layers.tree(state.layers()).find(relative).isPresent()) {
                return changed.withEmptyLayer(context.history(createdBy, true));
            }
            return new WorkdirLayer(session, changed, relative).create(context.history(createdBy, false));
        });
    }

    @FunctionalInterface
    private interface ConfigChange {
        ContainerConfig apply(ContainerConfig config);
    }

    private void metadata(String display, int line, String createdBy, ConfigChange change)
            throws IOException, BuildException, InterruptedException {
        StepContext context = new StepContext(session, stage, state, scope, session.plan.lexer(), line);
        step(display, line, StepKey.NO_CONTENT, createdBy, Map.of(), number -> state
                .withConfig(state.config().withConfig(change.apply(state.config().config())))
                .withEmptyLayer(context.history(createdBy, true)));
    }

    private void step(String display, int line, dev.jbuild.oci.Digest content, String instruction,
                      Map<String, String> args, StepBody body) throws IOException, BuildException, InterruptedException {
        step(display, line, content, Optional.empty(), instruction, args, body);
    }

    /**
     * Runs one step unless the cache has its result: first by {@code content}, then, when given, by the
     * content digest of the files it reads ({@code COPY --from} of a stage that ran again). A result is
     * recorded under every key that was computed, so the next build finds it by the first.
     */
    private void step(String display, int line, dev.jbuild.oci.Digest content,
                      Optional<CopyStep.FilesContent> filesContent, String instruction, Map<String, String> args,
                      StepBody body) throws IOException, BuildException, InterruptedException {
        int step = session.nextStep();
        long start = System.nanoTime();
        session.progress().onEvent(new BuildEvent.StepStarted(step, label() + display));
        StepKey key = new StepKey(state.configDigest(), instruction, new java.util.TreeMap<>(args), content);
        boolean bypass = session.request.noCache() || session.request.noCacheFilter().contains(stage.displayName())
                || session.request.noCacheFilter().contains(Integer.toString(stage.index()));
        Optional<StepCache.Hit> cached = bypass ? Optional.empty() : session.cache.lookup(key);
        // the files' own key is looked up when the first misses, and written for a build that exports its
        // cache, so that another machine whose source stage ran again finds the step by it
        Optional<StepKey> byFiles = filesContent.isPresent() && (!bypass && cached.isEmpty() || session.exportsCache())
                ? filesKey(key, filesContent.get()) : Optional.empty();
        if (cached.isEmpty() && !bypass && byFiles.isPresent()) {
            cached = session.cache.lookup(byFiles.get());
            if (cached.isPresent()) {
                session.cache.alias(key, cached.get().manifest());
            }
        } else if (cached.isPresent() && byFiles.isPresent()) {
            session.cache.alias(byFiles.get(), cached.get().manifest());
        }
        if (cached.isPresent()) {
            state = cached.get().state();
            Descriptor manifest = cached.get().manifest();
            session.ranStep(stage, key, manifest);
            byFiles.ifPresent(files -> session.ranStep(stage, files, manifest));
            session.progress().onEvent(new BuildEvent.StepCached(step));
            session.progress().onEvent(new BuildEvent.StepDone(step, elapsed(start)));
            return;
        }
        session.progress().onEvent(new BuildEvent.StepCacheMiss(step, bypass ? "cache disabled ("
                + (session.request.noCache() ? "--no-cache" : "--no-cache-filter") + ")" : session.cache.explainMiss(key)));
        session.prepareRuntime();
        ImageState result;
        try {
            result = body.run(step);
        } catch (BuildException | IOException | RuntimeException e) {
            session.progress().onEvent(new BuildEvent.StepFailed(step, elapsed(start), e.getMessage() == null
                    ? e.toString() : e.getMessage()));
            if (e instanceof BuildException build) {
                throw build;
            }
            throw new BuildException(line, "line " + line + ": " + display + ": " + (e.getMessage() == null
                    ? e.toString() : e.getMessage()), e);
        }
        Descriptor manifest = session.cache.record(key, result);
        session.ranStep(stage, key, manifest);
        if (byFiles.isPresent()) {
            session.cache.alias(byFiles.get(), manifest);
            session.ranStep(stage, byFiles.get(), manifest);
        }
        state = result;
        session.progress().onEvent(new BuildEvent.StepDone(step, elapsed(start)));
    }

    /**
     * The key of a step by the content of the files it reads, or empty when they cannot be read now:
     * the step itself then runs and reports why, naming its line.
     */
    private static Optional<StepKey> filesKey(StepKey key, CopyStep.FilesContent filesContent) throws InterruptedException {
        try {
            return Optional.of(new StepKey(key.parent(), key.instruction(), key.args(), filesContent.digest()));
        } catch (IOException | BuildException | RuntimeException reportedByTheStep) {
            return Optional.empty();
        }
    }

    /** The created time of the image: its last history entry's, so a fully cached build gives the same image. */
    static Instant createdOf(ImageConfig config) {
        return config.history().isEmpty() ? config.created() : config.history().getLast().created();
    }
}
