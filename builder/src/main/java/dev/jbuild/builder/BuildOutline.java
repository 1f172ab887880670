package dev.jbuild.builder;

import java.util.List;
import java.util.Objects;

/**
 * What building a target takes, as buildx's {@code --call outline} tells it: the build args its
 * stages declare, with their values and descriptions, and the secrets and SSH agents its RUN steps mount.
 *
 * @param target      the stage's name; empty for an unnamed last stage
 * @param description the comment above its FROM that starts with its name, without the name
 * @param args        the build args, in the order of the Dockerfile
 * @param secrets     the secrets mounted, by id
 * @param ssh         the SSH agents mounted, by id
 */
public record BuildOutline(String target, String description, List<Arg> args, List<Mount> secrets, List<Mount> ssh) {
    public BuildOutline {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(description, "description");
        args = List.copyOf(args);
        secrets = List.copyOf(secrets);
        ssh = List.copyOf(ssh);
    }

    /** A build arg: its value (a {@code --build-arg}, else its default, expanded; empty without either) and description. */
    public record Arg(String name, String value, String description) {
        public Arg {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(description, "description");
        }
    }

    /** A secret or SSH agent a RUN step mounts, and whether a step needs it ({@code required=true}). */
    public record Mount(String id, boolean required) {
        public Mount {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * A stage {@code --target} can name, as {@code --call targets} lists it.
     *
     * @param name        the {@code AS} name; empty when the stage has none
     * @param isDefault   true for the last stage, which a build without {@code --target} builds
     * @param description the comment above its FROM that starts with its name, without the name
     * @param base        the FROM image or stage, as written
     * @param platform    FROM's {@code --platform}, as written; empty without one
     */
    public record Target(String name, boolean isDefault, String description, String base, String platform) {
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(platform, "platform");
        }
    }
}
