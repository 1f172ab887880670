package dev.jbuild.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jbuild manifest}: works on manifests and indexes in registries. */
@Command(name = "manifest", mixinStandardHelpOptions = true, description = "Inspect manifests and indexes.",
        subcommands = {ManifestInspect.class})
final class ManifestCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
