package dev.jbuild.builder.internal.multiplatform;

import dev.jbuild.builder.internal.PlannedStage;
import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.oci.Platform;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The stages every platform's build would run identically: on the build platform (e.g. under
 * {@code FROM --platform=$BUILDPLATFORM}), from the same base, without declaring a {@code TARGET*} arg, and reading
 * only stages like themselves. Building them once before the platforms' builds lets those take them from the build
 * cache instead of running them once per platform.
 */
public final class SharedStages {
    private static final Set<String> TARGET_ARGS = Set.of("TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT");

    private SharedStages() {
    }

    /** The shared stages with a RUN step that no other shared stage reads, as {@code --target} values (their indexes). */
    public static List<String> toBuildFirst(List<StagePlatforms> builds, Platform buildPlatform) {
        if (builds.size() < 2) {
            return List.of();
        }
        StagePlatforms first = builds.getFirst();
        Set<Integer> shared = new LinkedHashSet<>();
        Set<Integer> running = new HashSet<>();
        for (PlannedStage stage : first.plan().stages()) {
            if (sharedByAll(stage, builds, buildPlatform) && shared.containsAll(stage.dependencies())) {
                shared.add(stage.index());
                if (hasRun(stage) || stage.dependencies().stream().anyMatch(running::contains)) {
                    running.add(stage.index());
                }
            }
        }
        List<String> targets = new ArrayList<>();
        for (int index : running) {
            boolean readByAnotherShared = first.plan().stages().stream()
                    .anyMatch(other -> shared.contains(other.index()) && other.dependencies().contains(index));
            if (!readByAnotherShared) {
                targets.add(Integer.toString(index));
            }
        }
        return List.copyOf(targets);
    }

    private static boolean sharedByAll(PlannedStage stage, List<StagePlatforms> builds, Platform buildPlatform) {
        if (!stage.images().isEmpty() || declaresTargetArg(stage)) {
            return false;
        }
        for (StagePlatforms build : builds) {
            Optional<PlannedStage> same = build.plan().stages().stream()
                    .filter(other -> other.index() == stage.index())
                    .findFirst();
            Platform runsOn = build.runsOn().get(stage.index());
            if (same.isEmpty() || !same.get().base().equals(stage.base()) || runsOn == null
                    || !runsOn.matches(buildPlatform)) {
                return false;
            }
        }
        return true;
    }

    private static boolean declaresTargetArg(PlannedStage stage) {
        return stage.stage().instructions().stream()
                .filter(instruction -> instruction instanceof Instruction.Arg)
                .flatMap(instruction -> ((Instruction.Arg) instruction).args().stream())
                .map(ArgDefinition::name)
                .anyMatch(TARGET_ARGS::contains);
    }

    private static boolean hasRun(PlannedStage stage) {
        return stage.stage().instructions().stream().anyMatch(instruction -> instruction instanceof Instruction.Run);
    }
}
