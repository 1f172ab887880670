package dev.jbuild.cli;

import picocli.CommandLine;

/** Entry point of the {@code jbuild} tool; the {@code jpull} and {@code jpush} launchers call it with {@code pull}/{@code push}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new JbuildCommand());
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        commandLine.setExitCodeExceptionMapper(ExitCode::of);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
