package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.BuildException;
import dev.jbuild.dockerfile.DockerfileParser;
import dev.jbuild.oci.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildPlanTest {
    private static final Platform AMD64 = new Platform("linux", "amd64");

    private static BuildPlan plan(String dockerfile, Map<String, String> args, String target) throws BuildException {
        return BuildPlan.of(DockerfileParser.parse("Dockerfile", dockerfile), args, Optional.ofNullable(target),
                AMD64, AMD64, Set.of());
    }

    @Test
    void onlyStagesTheTargetNeedsArePlanned() throws BuildException {
        BuildPlan plan = plan("""
                FROM busybox AS tools
                RUN echo tools
                FROM alpine AS unused
                RUN echo unused
                FROM scratch
                COPY --from=tools /bin/sh /sh
                """, Map.of(), null);
        assertEquals(List.of(0, 2), plan.stages().stream().map(PlannedStage::index).toList());
        assertEquals(2, plan.target());
        assertEquals(Set.of(0), plan.stage(2).dependencies());
        assertEquals(new StageBase.Scratch(), plan.stage(2).base());
    }

    @Test
    void targetSelectsByNameAndCutsLaterStages() throws BuildException {
        BuildPlan plan = plan("FROM busybox AS base\nFROM base AS dev\nFROM base AS prod\n", Map.of(), "DEV");
        assertEquals(List.of(0, 1), plan.stages().stream().map(PlannedStage::index).toList());
        assertEquals(new StageBase.EarlierStage(0), plan.stage(1).base());
    }

    @Test
    void unknownTargetIsAnError() {
        BuildException error = assertThrows(BuildException.class, () -> plan("FROM busybox\n", Map.of(), "nope"));
        assertTrue(error.getMessage().contains("target stage \"nope\" could not be found"), error.getMessage());
    }

    @Test
    void globalArgsExpandInFromAndBuildArgsOverrideDefaults() throws BuildException {
        String dockerfile = "ARG VERSION=1.36\nARG IMAGE=busybox:${VERSION}\nFROM $IMAGE\n";
        assertEquals(new StageBase.Image("busybox:1.36", Optional.empty()), plan(dockerfile, Map.of(), null).stage(0).base());
        assertEquals(new StageBase.Image("busybox:1.37", Optional.empty()),
                plan(dockerfile, Map.of("VERSION", "1.37"), null).stage(0).base());
    }

    @Test
    void fromPlatformExpandsTheAutomaticArgs() throws BuildException {
        BuildPlan plan = plan("FROM --platform=$BUILDPLATFORM busybox\n", Map.of(), null);
        assertEquals(new StageBase.Image("busybox", Optional.of(AMD64)), plan.stage(0).base());
    }

    @Test
    void copyFromNumbersNamesAndImages() throws BuildException {
        BuildPlan plan = plan("""
                FROM busybox AS a
                FROM busybox
                FROM scratch
                ARG SRC=a
                COPY --from=$SRC /x /x
                COPY --from=1 /y /y
                COPY --from=alpine:3 /z /z
                """, Map.of(), null);
        assertEquals(Set.of(0, 1), plan.stage(2).dependencies());
        assertEquals(Set.of("alpine:3"), plan.stage(2).images());
    }

    @Test
    void runMountFromIsADependency() throws BuildException {
        BuildPlan plan = plan("""
                FROM busybox AS deps
                FROM busybox
                RUN --mount=type=bind,from=deps,target=/deps ls /deps
                """, Map.of(), null);
        assertEquals(Set.of(0), plan.stage(1).dependencies());
    }

    @Test
    void copyingFromItselfIsCircular() {
        BuildException error = assertThrows(BuildException.class,
                () -> plan("FROM busybox AS a\nCOPY --from=a /x /y\n", Map.of(), null));
        assertTrue(error.getMessage().contains("circular"), error.getMessage());
        assertEquals(2, error.line().orElseThrow());
    }

    @Test
    void blankFromAfterExpansionNamesTheLine() {
        BuildException error = assertThrows(BuildException.class, () -> plan("ARG IMAGE\nFROM $IMAGE\n", Map.of(), null));
        assertTrue(error.getMessage().contains("should not be blank"), error.getMessage());
        assertEquals(2, error.line().orElseThrow());
    }

    @Test
    void noFromIsAnError() {
        assertThrows(Exception.class, () -> plan("ARG A=1\n", Map.of(), null));
    }
}
