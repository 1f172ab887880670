package dev.jbuild.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jbuild manifest}: works on manifests and indexes in registries, and on manifest lists in the store. */
@Command(name = "manifest", mixinStandardHelpOptions = true, description = "Inspect manifests and indexes; create, edit and push manifest lists.",
        subcommands = {
                ManifestInspect.class,
                ManifestCreateCommand.class,
                ManifestAddCommand.class,
                ManifestRemoveCommand.class,
                ManifestAnnotateCommand.class,
                ManifestPushCommand.class,
        })
final class ManifestCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @ParentCommand
    JbuildCommand parent;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The store directory the subcommands work on. */
    Path storeRoot() {
        return parent.storeRoot();
    }
}
