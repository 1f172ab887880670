package dev.jbuild.dockerfile;

import dev.jbuild.dockerfile.internal.MountSpecs;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** One {@code RUN --mount=…}, by type, with every key BuildKit accepts for that type. */
public sealed interface RunMount {
    /** Where the mount appears in the container ({@code target}/{@code dst}/{@code destination}). */
    String target();

    /**
     * Parses one {@code --mount} value (a CSV list of {@code key=value} fields) after expansion.
     *
     * @throws IllegalArgumentException with BuildKit's message when the spec is invalid
     */
    static RunMount parse(String spec) {
        return MountSpecs.parse(spec);
    }

    /** The sharing mode of a cache mount. */
    enum Sharing { SHARED, PRIVATE, LOCKED }

    /** {@code type=bind} (the default): a path of the context or of another stage ({@code from}). */
    record Bind(String target, String source, Optional<String> from, boolean readOnly) implements RunMount {
        public Bind {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(from, "from");
        }
    }

    /** {@code type=cache}: a directory kept between builds, keyed by {@code id} (the target by default). */
    record Cache(String target, String id, Sharing sharing, Optional<String> from, Optional<String> source,
                 boolean readOnly, OptionalInt mode, OptionalInt uid, OptionalInt gid) implements RunMount {
        public Cache {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(sharing, "sharing");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(source, "source");
        }
    }

    /** {@code type=tmpfs}: an empty in-memory file system, optionally limited to {@code size} bytes. */
    record Tmpfs(String target, OptionalLong size) implements RunMount {
        public Tmpfs {
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * {@code type=secret}: a build secret as a file at {@code target} (default {@code /run/secrets/<id>})
     * or as the environment variable {@code env}.
     */
    record Secret(String id, String target, Optional<String> env, boolean required, OptionalInt mode,
                  OptionalInt uid, OptionalInt gid) implements RunMount {
        public Secret {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(env, "env");
        }
    }

    /** {@code type=ssh}: an SSH agent socket at {@code target} (default {@code /run/buildkit/ssh_agent.N}). */
    record Ssh(String id, String target, boolean required, OptionalInt mode, OptionalInt uid, OptionalInt gid)
            implements RunMount {
        public Ssh {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(target, "target");
        }
    }
}
