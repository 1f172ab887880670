package dev.jbuild.cli;

import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The subcommands of {@code jbuild}, by name. They are registered with picocli only when asked
 * for: building the model of a command costs picocli reflection over every option, so a command
 * line registers just the subcommand it runs (all of them for help and usage errors).
 */
final class Subcommands {
    private static final SequencedMap<String, Supplier<Object>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("parse", ParseCommand::new);
        ALL.put("build", BuildCommand::new);
        ALL.put("run", RunCommand::new);
        ALL.put("info", InfoCommand::new);
        ALL.put("pull", Pull::new);
        ALL.put("push", Push::new);
        ALL.put("copy", Copy::new);
        ALL.put("login", Login::new);
        ALL.put("logout", Logout::new);
        ALL.put("tags", Tags::new);
        ALL.put("delete", Delete::new);
        ALL.put("manifest", ManifestCommand::new);
        ALL.put("images", ImagesCommand::new);
        ALL.put("inspect", InspectCommand::new);
        ALL.put("history", HistoryCommand::new);
        ALL.put("tag", TagCommand::new);
        ALL.put("rmi", RmiCommand::new);
        ALL.put("prune", PruneCommand::new);
        ALL.put("fsck", FsckCommand::new);
        ALL.put("import", ImportCommand::new);
        ALL.put("save", SaveCommand::new);
        ALL.put("load", LoadCommand::new);
    }

    private Subcommands() {
    }

    /** The names of every subcommand, in the order help lists them. */
    static Set<String> names() {
        return ALL.sequencedKeySet();
    }

    /** Registers the subcommand called {@code name} on {@code root}. */
    static void register(CommandLine root, String name) {
        Supplier<Object> command = ALL.get(name);
        if (command == null) {
            throw new IllegalArgumentException("no subcommand " + name);
        }
        // A CommandLine built here, not by addSubcommand, so that picocli applies the command's model transformer.
        root.addSubcommand(name, new CommandLine(command.get()));
    }

    /** Registers every subcommand on {@code root}. */
    static void registerAll(CommandLine root) {
        ALL.keySet().forEach(name -> register(root, name));
    }
}
