package dev.jbuild.builder.internal.multiplatform;

import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.internal.BuildPlan;
import dev.jbuild.builder.internal.PlannedStage;
import dev.jbuild.builder.internal.StageBase;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.oci.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The plan of one platform's build and the platform each of its stages runs on: its FROM's
 * {@code --platform} (e.g. {@code $BUILDPLATFORM}), else its base stage's platform, else the target.
 *
 * @param target the platform the build is for
 * @param plan   the stages the build runs
 * @param runsOn each planned stage's index to the platform its programs run on
 */
public record StagePlatforms(Platform target, BuildPlan plan, Map<Integer, Platform> runsOn) {
    public StagePlatforms {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(plan, "plan");
        runsOn = Map.copyOf(runsOn);
    }

    /** Plans {@code dockerfile} for each target platform, as the builds will. */
    public static List<StagePlatforms> of(Dockerfile dockerfile, Map<String, String> buildArgs, Optional<String> target,
                                          List<Platform> platforms, Platform buildPlatform, Set<String> namedContexts)
            throws BuildException {
        List<StagePlatforms> all = new ArrayList<>();
        for (Platform platform : platforms) {
            BuildPlan plan = BuildPlan.of(dockerfile, buildArgs, target, platform, buildPlatform, namedContexts);
            Map<Integer, Platform> runsOn = new LinkedHashMap<>();
            for (PlannedStage stage : plan.stages()) {
                runsOn.put(stage.index(), switch (stage.base()) {
                    case StageBase.Image image -> image.platform().orElse(platform);
                    case StageBase.EarlierStage earlier -> runsOn.getOrDefault(earlier.index(), platform);
                    case StageBase.Scratch scratch -> platform;
                });
            }
            all.add(new StagePlatforms(platform, plan, runsOn));
        }
        return List.copyOf(all);
    }
}
