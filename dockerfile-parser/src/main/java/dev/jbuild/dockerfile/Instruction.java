package dev.jbuild.dockerfile;

import dev.jbuild.dockerfile.internal.MountSpecs;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One checked Dockerfile instruction. Every record keeps where it came from ({@link #range()})
 * and its logical line as written ({@link #original()}); values that BuildKit expands at build
 * time are kept unexpanded, for the builder to expand with {@link ShellLexer} in scope.
 */
public sealed interface Instruction {
    /** The physical lines of this instruction, heredoc bodies included. */
    SourceRange range();

    /** The logical line as written (continuations joined, heredoc bodies excluded). */
    String original();

    /** {@code FROM [--platform=P] IMAGE [AS NAME]}. Expanded with the global ARGs only: {@code image}, {@code platform}. */
    record From(SourceRange range, String original, String image, Optional<String> stageName,
                Optional<String> platform) implements Instruction {
        public From {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(stageName, "stageName");
            Objects.requireNonNull(platform, "platform");
        }
    }

    /**
     * {@code RUN}: a command with its raw {@code --mount} specs (expanded by the builder, then
     * {@link RunMount#parse}), network and security modes, and heredocs. The command is not
     * expanded (the shell does that); heredoc bodies with {@link Heredoc#expand()} are, with quotes
     * kept ({@link ShellLexer#ignoringQuotes()}).
     */
    record Run(SourceRange range, String original, Command command, List<String> mountSpecs,
               Optional<String> network, Optional<String> security, List<Heredoc> heredocs) implements Instruction {
        public Run {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(command, "command");
            mountSpecs = List.copyOf(mountSpecs);
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(security, "security");
            heredocs = List.copyOf(heredocs);
        }

        /** The mounts, parsed as written (for specs without variables). */
        public List<RunMount> mounts() {
            return mountSpecs.stream().map(MountSpecs::parse).toList();
        }
    }

    /** {@code CMD}: the default command of the image; not expanded. */
    record Cmd(SourceRange range, String original, Command command) implements Instruction {
        public Cmd {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(command, "command");
        }
    }

    /** {@code ENTRYPOINT}: the program the image runs; not expanded. */
    record Entrypoint(SourceRange range, String original, Command command) implements Instruction {
        public Entrypoint {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(command, "command");
        }
    }

    /** {@code SHELL ["exe", "arg"…]}: the shell of later shell-form commands. */
    record Shell(SourceRange range, String original, List<String> shell) implements Instruction {
        public Shell {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            shell = List.copyOf(shell);
        }
    }

    /** {@code ENV}: variables for later instructions and the image; {@code legacyForm} for {@code ENV K V}. Keys and values are expanded. */
    record Env(SourceRange range, String original, List<KeyValue> pairs, boolean legacyForm) implements Instruction {
        public Env {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            pairs = List.copyOf(pairs);
        }
    }

    /** {@code LABEL}: image labels; {@code legacyForm} for {@code LABEL K V}. Keys and values are expanded. */
    record Label(SourceRange range, String original, List<KeyValue> pairs, boolean legacyForm) implements Instruction {
        public Label {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            pairs = List.copyOf(pairs);
        }
    }

    /** {@code ARG}: build arguments, with defaults; names and defaults are expanded. */
    record Arg(SourceRange range, String original, List<ArgDefinition> args) implements Instruction {
        public Arg {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            args = List.copyOf(args);
        }
    }

    /** {@code EXPOSE}: ports as written ({@code 80/tcp}, {@code $PORT}); expanded with {@link ShellLexer#processWords}. */
    record Expose(SourceRange range, String original, List<String> ports) implements Instruction {
        public Expose {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            ports = List.copyOf(ports);
        }
    }

    /** {@code COPY}: sources (heredoc names among them) to a destination, with its flags. Sources, destination, chown and chmod are expanded; {@code from} is not. */
    record Copy(SourceRange range, String original, List<String> sources, String destination, Optional<String> from,
                Optional<String> chown, Optional<String> chmod, boolean link, boolean parents, List<String> excludes,
                List<Heredoc> heredocs) implements Instruction {
        public Copy {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            sources = List.copyOf(sources);
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(chown, "chown");
            Objects.requireNonNull(chmod, "chmod");
            excludes = List.copyOf(excludes);
            heredocs = List.copyOf(heredocs);
        }
    }

    /** {@code ADD}: like COPY, plus URLs, git repositories, archives and checksums. Sources, destination, chown, chmod and checksum are expanded. */
    record Add(SourceRange range, String original, List<String> sources, String destination, Optional<String> chown,
               Optional<String> chmod, Optional<String> checksum, boolean link, Optional<Boolean> keepGitDir,
               Optional<Boolean> unpack, List<String> excludes, List<Heredoc> heredocs) implements Instruction {
        public Add {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            sources = List.copyOf(sources);
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(chown, "chown");
            Objects.requireNonNull(chmod, "chmod");
            Objects.requireNonNull(checksum, "checksum");
            Objects.requireNonNull(keepGitDir, "keepGitDir");
            Objects.requireNonNull(unpack, "unpack");
            excludes = List.copyOf(excludes);
            heredocs = List.copyOf(heredocs);
        }
    }

    /** {@code VOLUME}: mount points of the image; each path is expanded. */
    record Volume(SourceRange range, String original, List<String> paths) implements Instruction {
        public Volume {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            paths = List.copyOf(paths);
        }
    }

    /** {@code USER user[:group]}, expanded. */
    record User(SourceRange range, String original, String user) implements Instruction {
        public User {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(user, "user");
        }
    }

    /** {@code WORKDIR path}, expanded. */
    record Workdir(SourceRange range, String original, String path) implements Instruction {
        public Workdir {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(path, "path");
        }
    }

    /** {@code STOPSIGNAL signal}, expanded. */
    record StopSignal(SourceRange range, String original, String signal) implements Instruction {
        public StopSignal {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(signal, "signal");
        }
    }

    /** {@code MAINTAINER name} (deprecated: a label does the same); not expanded. */
    record Maintainer(SourceRange range, String original, String maintainer) implements Instruction {
        public Maintainer {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(maintainer, "maintainer");
        }
    }

    /** {@code HEALTHCHECK NONE} or {@code HEALTHCHECK [flags] CMD command}. */
    record Healthcheck(SourceRange range, String original, HealthConfig health) implements Instruction {
        public Healthcheck {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(health, "health");
        }
    }

    /**
     * {@code ONBUILD trigger}: {@code expression} is what the image config stores (the trigger's
     * line, plus its heredoc bodies); {@code trigger} is its line-parser view.
     */
    record Onbuild(SourceRange range, String original, String expression, Node trigger) implements Instruction {
        public Onbuild {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(trigger, "trigger");
        }
    }
}
