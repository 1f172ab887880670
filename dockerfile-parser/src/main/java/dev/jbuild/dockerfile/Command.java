package dev.jbuild.dockerfile;

import java.util.List;
import java.util.Objects;

/** The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD: shell form or exec (JSON) form. */
public sealed interface Command {
    /** Shell form: run through the stage's SHELL ({@code /bin/sh -c} by default). */
    record ShellForm(String script) implements Command {
        public ShellForm {
            Objects.requireNonNull(script, "script");
        }
    }

    /** Exec form: the JSON array's strings, run as they are. */
    record ExecForm(List<String> arguments) implements Command {
        public ExecForm {
            arguments = List.copyOf(arguments);
        }
    }
}
