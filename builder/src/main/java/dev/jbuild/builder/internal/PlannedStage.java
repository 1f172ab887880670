package dev.jbuild.builder.internal;

import dev.jbuild.dockerfile.Stage;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One stage the target needs.
 *
 * @param stage        the parsed stage
 * @param base         what it starts from (FROM, expanded with the global args)
 * @param dependencies the indexes of earlier stages it reads (its base, {@code COPY --from}, {@code RUN --mount from=})
 * @param images       images it copies or mounts from by reference ({@code COPY --from=busybox})
 */
public record PlannedStage(Stage stage, StageBase base, Set<Integer> dependencies, Set<String> images) {
    public PlannedStage {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(base, "base");
        dependencies = java.util.Collections.unmodifiableSet(new TreeSet<>(dependencies));
        images = Set.copyOf(images);
    }

    /** The stage's index in the Dockerfile. */
    public int index() {
        return stage.index();
    }

    /** The name progress shows: the {@code AS} name, else {@code stage-N}. */
    public String displayName() {
        return stage.name().orElse("stage-" + stage.index());
    }
}
