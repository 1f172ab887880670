package dev.jbuild.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code jbuild} command: holds the subcommands and the options every command shares. */
@Command(
        name = "jbuild",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Builds OCI images from Dockerfiles and moves them to and from registries, without a daemon.",
        subcommands = {
        })
final class JbuildCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
