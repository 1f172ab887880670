package dev.jbuild.builder.internal.multiplatform;

import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.internal.PlannedStage;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.oci.Platform;
import dev.jbuild.runtime.Emulation;
import dev.jbuild.runtime.EmulationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds, before anything runs, the stages whose RUN steps would execute programs of a platform this host
 * cannot run; stages without RUN (only COPY and metadata) need no emulation.
 */
public final class EmulationCheck {
    private EmulationCheck() {
    }

    /** Fails with every missing emulator's explanation when a needed stage cannot run here. */
    public static void requireRunnable(List<StagePlatforms> builds, Emulation emulation) throws BuildException {
        List<String> problems = new ArrayList<>();
        for (StagePlatforms build : builds) {
            for (PlannedStage stage : build.plan().stages()) {
                Optional<Instruction> run = stage.stage().instructions().stream()
                        .filter(instruction -> instruction instanceof Instruction.Run)
                        .findFirst();
                Platform runsOn = build.runsOn().get(stage.index());
                if (run.isPresent() && emulation.status(runsOn) instanceof EmulationStatus.Missing missing) {
                    String problem = "building for " + build.target().format() + ", stage " + stage.displayName()
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
