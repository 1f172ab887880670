package dev.jbuild.cli;

import picocli.CommandLine.Option;

/**
 * The {@code docker build} and {@code buildx build} flags that scripts pass and that ask nothing of
 * jbuild beyond what it always does: they are accepted, so those scripts run unchanged.
 */
final class BuildxCompatibility {
    @Option(names = "--load", description = "Accepted for buildx scripts: the image always goes to the store.")
    boolean load;

    @Option(names = "--rm", arity = "0..1", paramLabel = "BOOL",
            description = "Accepted for docker build scripts: no step leaves a container behind.")
    boolean removeContainers = true;

    @Option(names = "--force-rm", description = "Accepted for docker build scripts: no step leaves a container behind.")
    boolean forceRemoveContainers;
}
