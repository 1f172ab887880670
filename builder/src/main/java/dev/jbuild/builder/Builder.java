package dev.jbuild.builder;

import dev.jbuild.builder.internal.BuildRun;
import dev.jbuild.builder.internal.CacheMounts;
import dev.jbuild.builder.internal.OnFirstUse;
import dev.jbuild.dockerfile.Warning;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.runtime.ContainerRuntime;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds images from Dockerfiles into a {@link Store}: plans the stages the target needs, runs
 * independent stages in parallel, reuses cached steps, commits the image and writes its outputs.
 *
 * <pre>{@code
 * BuildResult result = Builder.create(Store.open(root)).build(BuildRequest.builder(
 *         new BuildRequest.Context.Directory(Path.of("."))).tag("app:1").build());
 * }</pre>
 */
public final class Builder {
    private final Store store;
    private final RegistryOptions registryOptions;
    private final Supplier<ContainerRuntime> runtime;

    private Builder(Store store, RegistryOptions registryOptions, Supplier<ContainerRuntime> runtime) {
        this.store = Objects.requireNonNull(store, "store");
        this.registryOptions = Objects.requireNonNull(registryOptions, "registryOptions");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** A builder over {@code store} that pulls with the default registry settings and runs RUN steps with the best isolation this host allows. */
    public static Builder create(Store store) {
        return create(store, RegistryOptions.defaults());
    }

    /** A builder over {@code store} that pulls and pushes with {@code registryOptions}. */
    public static Builder create(Store store, RegistryOptions registryOptions) {
        return new Builder(store, registryOptions, new OnFirstUse<>(ContainerRuntime::detect));
    }

    /**
     * Removes the {@code RUN --mount=type=cache} directories of {@code store} that no step of any
     * build (in any process) is using now; steps that mount them later start them afresh.
     */
    public static PrunedCacheMounts pruneCacheMounts(Store store) throws IOException {
        return CacheMounts.prune(store.root());
    }

    /**
     * Runs the build.
     *
     * @throws BuildException when the Dockerfile, a source or a step fails (the message names the line)
     * @throws IOException    when the store, the context or an output cannot be read or written
     */
    public BuildResult build(BuildRequest request) throws BuildException, IOException {
        return new BuildRun(store, registryOptions, runtime, request, !request.cacheTo().isEmpty()).run();
    }

    /**
     * Runs one platform's build of a multi-platform build, whose cache the multi-platform build exports
     * when {@code cacheExported}: the steps then carry every key another machine may look them up by.
     */
    BuildResult buildPlatform(BuildRequest request, boolean cacheExported) throws BuildException, IOException {
        return new BuildRun(store, registryOptions, runtime, request, cacheExported).run();
    }

    /**
     * Runs only the Dockerfile's checks (BuildKit's lint rules, less those {@code # check=skip=}
     * turns off), as {@code docker build --check} does: reads the context and the Dockerfile as
     * {@link #build} would, and builds nothing.
     *
     * @throws BuildException when the Dockerfile cannot be read or parsed
     */
    public List<Warning> check(BuildRequest request) throws BuildException, IOException {
        return new BuildRun(store, registryOptions, runtime, request, false).check();
    }

    /**
     * Lists the Dockerfile's stages, as {@code docker build --call targets} does; builds nothing.
     *
     * @throws BuildException when the Dockerfile cannot be read or parsed
     */
    public List<BuildOutline.Target> targets(BuildRequest request) throws BuildException, IOException {
        return new BuildRun(store, registryOptions, runtime, request, false).targets();
    }

    /**
     * Tells what building the request's target takes (build args, secrets, SSH agents), as
     * {@code docker build --call outline} does; builds nothing.
     *
     * @throws BuildException when the Dockerfile cannot be read or parsed, or the target does not exist
     */
    public BuildOutline outline(BuildRequest request) throws BuildException, IOException {
        return new BuildRun(store, registryOptions, runtime, request, false).outline();
    }
}
