package dev.jbuild.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root {@code jbuild} command: the options every subcommand shares (subcommands are in {@link Subcommands}). */
@Command(
        name = "jbuild",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Builds OCI images from Dockerfiles and moves them to and from registries, without a daemon.")
final class JbuildCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Store directory (default: $JBUILD_ROOT, else /var/lib/jbuild as root, else $XDG_DATA_HOME/jbuild).")
    Path root;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The store directory this invocation works on. */
    Path storeRoot() {
        if (root != null) {
            return root;
        }
        String fromEnvironment = System.getenv("JBUILD_ROOT");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/jbuild");
        }
        String dataHome = System.getenv("XDG_DATA_HOME");
        Path base = dataHome != null && !dataHome.isBlank()
                ? Path.of(dataHome)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("jbuild");
    }
}
