package dev.jbuild.runtime;

import java.nio.file.Path;
import java.util.Objects;

/** An extra mount inside a container; targets are absolute paths inside the container. */
public sealed interface Mount {

    /** The absolute path inside the container. */
    String target();

    /** A host file or directory bound into the container. */
    record Bind(Path source, String target, boolean readOnly) implements Mount {
        public Bind {
            source = Objects.requireNonNull(source, "source").toAbsolutePath().normalize();
            target = checkedTarget(target);
        }
    }

    /** A fresh in-memory filesystem; {@code sizeBytes} 0 means the kernel's default (half of RAM). */
    record Tmpfs(String target, long sizeBytes) implements Mount {
        public Tmpfs {
            target = checkedTarget(target);
            if (sizeBytes < 0) {
                throw new IllegalArgumentException("tmpfs size must not be negative: " + sizeBytes);
            }
        }
    }

    /** A host directory kept between containers (package caches, {@code RUN --mount=type=cache}); always writable. */
    record Cache(Path hostDirectory, String target) implements Mount {
        public Cache {
            hostDirectory = Objects.requireNonNull(hostDirectory, "hostDirectory").toAbsolutePath().normalize();
            target = checkedTarget(target);
        }
    }

    /** A host file shown read-only at {@code target} ({@code RUN --mount=type=secret}); never part of a layer. */
    record Secret(Path file, String target) implements Mount {
        public Secret {
            file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
            target = checkedTarget(target);
        }
    }

    private static String checkedTarget(String target) {
        Objects.requireNonNull(target, "target");
        if (!target.startsWith("/") || target.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("mount target must be an absolute path: \"" + target + "\"");
        }
        return target;
    }
}
