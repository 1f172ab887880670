package dev.jbuild.builder.internal.multiplatform;

import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.internal.BuildPlan;
import dev.jbuild.builder.internal.PlannedStage;
import dev.jbuild.builder.internal.StageBase;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.oci.Platform;
import dev.jbuild.runtime.Emulation;
import dev.jbuild.runtime.EmulationStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds, before anything runs, the stages whose RUN steps would execute programs of a platform this host cannot
 * run. A stage runs on its FROM's {@code --platform} (e.g. {@code $BUILDPLATFORM}), else on its base stage's
 * platform, else on the target platform; stages without RUN (only COPY and metadata) need no emulation.
 */
public final class EmulationCheck {
    private EmulationCheck() {
    }

    /** Fails with every missing emulator's explanation when a needed stage cannot run here. */
    public static void requireRunnable(Dockerfile dockerfile, Map<String, String> buildArgs, Optional<String> target,
                                       List<Platform> platforms, Platform buildPlatform, Emulation emulation)
            throws BuildException {
        List<String> problems = new ArrayList<>();
        for (Platform platform : platforms) {
            BuildPlan plan = BuildPlan.of(dockerfile, buildArgs, target, platform, buildPlatform);
            Map<Integer, Platform> stagePlatforms = new HashMap<>();
            for (PlannedStage stage : plan.stages()) {
                Platform runsOn = switch (stage.base()) {
                    case StageBase.Image image -> image.platform().orElse(platform);
                    case StageBase.EarlierStage earlier -> stagePlatforms.getOrDefault(earlier.index(), platform);
                    case StageBase.Scratch scratch -> platform;
                };
                stagePlatforms.put(stage.index(), runsOn);
                Optional<Instruction> run = stage.stage().instructions().stream()
                        .filter(instruction -> instruction instanceof Instruction.Run)
                        .findFirst();
                if (run.isEmpty()) {
                    continue;
                }
                if (emulation.status(runsOn) instanceof EmulationStatus.Missing missing) {
                    String problem = "building for " + platform.format() + ", stage " + stage.displayName()
                            + " runs RUN (line " + run.get().range().startLine() + ") on " + runsOn.format() + ": "
                            + missing.explanation();
                    if (!problems.contains(problem)) {
                        problems.add(problem);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new BuildException(String.join("\n", problems));
        }
    }
}
