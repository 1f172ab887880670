package dev.jbuild.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/** Entry point of the {@code jbuild} tool; the {@code jpull} and {@code jpush} launchers call it with {@code pull}/{@code push}. */
public final class Main {
    static {
        // picocli looks for Groovy's Closure class unless told not to, and a class that no jar holds
        // makes the JVM open and index every jar on the class path: tens of milliseconds per command.
        System.setProperty("picocli.disable.closures", "true");
        // No option is of a java.sql or java.time type, and registering picocli's reflective
        // converters for them loads about 80 classes before every command.
        System.setProperty("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
    }

    private Main() {
    }

    public static void main(String[] args) {
        ProcessExit.now(run(args));
    }

    /** Runs one command line and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        String[] rewritten = withDefaultSubcommand(args, Subcommands.names());
        int first = firstAfterGlobalOptions(rewritten);
        CommandLine commandLine = new CommandLine(new JbuildCommand());
        String next = first < rewritten.length ? rewritten[first] : "";
        if (Subcommands.names().contains(next)) {
            Subcommands.register(commandLine, next);
        } else if (!VERSION_FLAGS.contains(next)) {
            Subcommands.registerAll(commandLine);
        }
        int code = configured(commandLine).execute(rewritten);
        // main ends the process with _exit, which flushes no writer picocli made
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return code;
    }

    /**
     * Makes {@code build} the default subcommand, as {@code docker build} users expect of
     * {@code jbuild -t app .}: unless the first argument after the global options names a
     * subcommand or asks for help or the version, {@code build} is inserted there.
     */
    static String[] withDefaultSubcommand(String[] args, Set<String> subcommands) {
        if (!subcommands.contains(DEFAULT_SUBCOMMAND)) {
            return args;
        }
        int first = firstAfterGlobalOptions(args);
        if (first >= args.length) {
            return args;
        }
        String next = args[first];
        if (subcommands.contains(next) || TOP_LEVEL_FLAGS.contains(next)) {
            return args;
        }
        List<String> rewritten = new ArrayList<>(List.of(args));
        rewritten.add(Math.min(first, rewritten.size()), DEFAULT_SUBCOMMAND);
        return rewritten.toArray(String[]::new);
    }

    private static int firstAfterGlobalOptions(String[] args) {
        int first = 0;
        while (first < args.length && GLOBAL_OPTIONS.contains(optionName(args[first]))) {
            boolean takesValue = GLOBAL_OPTIONS_WITH_VALUE.contains(args[first]);
            first += takesValue ? 2 : 1;
        }
        return first;
    }

    private static String optionName(String arg) {
        int equals = arg.indexOf('=');
        return equals > 0 ? arg.substring(0, equals) : arg;
    }

    private static final String DEFAULT_SUBCOMMAND = "build";
    private static final Set<String> GLOBAL_OPTIONS = Set.of("--root", "--debug");
    private static final Set<String> GLOBAL_OPTIONS_WITH_VALUE = Set.of("--root");
    private static final Set<String> VERSION_FLAGS = Set.of("-V", "--version");
    private static final Set<String> TOP_LEVEL_FLAGS = Set.of("-h", "--help", "-V", "--version", "help");

    /** A command line with every subcommand registered. */
    static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new JbuildCommand());
        Subcommands.registerAll(commandLine);
        return configured(commandLine);
    }

    /** Applies the error handling and parser settings; after the subcommands are registered, as picocli copies them down only then. */
    private static CommandLine configured(CommandLine commandLine) {
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        commandLine.setExitCodeExceptionMapper(ExitCode::of);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
