package dev.jbuild.cli;

import picocli.CommandLine.Option;

/** The {@code --progress} option of commands that move images. */
final class ProgressOptions {
    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "Progress output: auto (bars on a terminal, lines otherwise), tty, plain or json. "
                    + "Default: ${DEFAULT-VALUE}.")
    Progress.Mode mode = Progress.Mode.AUTO;

    @Option(names = {"-q", "--quiet"}, description = "Print only the summary line.")
    boolean quiet;

    /** A progress display on standard error in the chosen mode. */
    Progress open(String action) {
        Progress.Mode chosen = quiet ? Progress.Mode.NONE : mode;
        if (chosen == Progress.Mode.AUTO) {
            chosen = System.console() != null && System.console().isTerminal() && System.getenv("CI") == null
                    ? Progress.Mode.TTY : Progress.Mode.PLAIN;
        }
        return new Progress(chosen, action, System.err);
    }
}
