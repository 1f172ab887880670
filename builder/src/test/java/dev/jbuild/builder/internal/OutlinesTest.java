package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.BuildOutline;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.DockerfileException;
import dev.jbuild.dockerfile.DockerfileParser;
import dev.jbuild.oci.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --call targets} and {@code --call outline} as BuildKit's Dockerfile frontend answers them. */
class OutlinesTest {
    private static final Platform AMD64 = new Platform("linux", "amd64");
    private static final String DOCKERFILE = """
            # GO_VERSION sets the Go version
            ARG GO_VERSION=1.22
            ARG UNUSED=x
            ARG BASE=busybox
            # the tools stage: a comment that does not start with the name describes nothing
            FROM ${BASE} AS tools
            RUN echo tools
            # base holds the toolchain
            FROM --platform=$BUILDPLATFORM busybox AS base
            # APP_NAME names the binary
            ARG APP_NAME=app-${GO_VERSION}
            ARG GO_VERSION
            RUN --mount=type=secret,id=token,required=true --mount=type=ssh echo build
            FROM base
            ARG VERSION
            COPY --from=tools /bin /tools
            RUN --mount=type=secret,id=token --mount=type=secret,id=npmrc echo $VERSION
            """;

    private static Dockerfile dockerfile() throws DockerfileException {
        return DockerfileParser.parse("Dockerfile", DOCKERFILE);
    }

    private static BuildOutline outline(Map<String, String> args, String target) throws Exception {
        Dockerfile dockerfile = dockerfile();
        return Outlines.outline(dockerfile, BuildPlan.of(dockerfile, args, Optional.ofNullable(target), AMD64, AMD64,
                Set.of()));
    }

    @Test
    void targetsAreTheStagesWithTheLastAsTheDefault() throws DockerfileException {
        assertEquals(List.of(
                new BuildOutline.Target("tools", false, "", "${BASE}", ""),
                new BuildOutline.Target("base", false, "holds the toolchain", "busybox", "$BUILDPLATFORM"),
                new BuildOutline.Target("", true, "", "base", "")), Outlines.targets(dockerfile()));
    }

    @Test
    void theOutlineHasTheArgsSecretsAndAgentsOfTheStagesTheTargetNeeds() throws Exception {
        BuildOutline outline = outline(Map.of("VERSION", "2.0"), null);
        assertEquals("", outline.target());
        assertEquals(List.of(
                new BuildOutline.Arg("BASE", "busybox", ""),
                new BuildOutline.Arg("APP_NAME", "app-", "names the binary"),
                new BuildOutline.Arg("GO_VERSION", "1.22", ""),
                new BuildOutline.Arg("VERSION", "2.0", "")), outline.args(),
                "UNUSED is used by no stage; BASE by a FROM; GO_VERSION is the stage's declaration (with the global"
                        + " value, its own description), after APP_NAME expanded without it; in the order of lines");
        assertEquals(List.of(new BuildOutline.Mount("token", true), new BuildOutline.Mount("npmrc", false)),
                outline.secrets());
        assertEquals(List.of(new BuildOutline.Mount("default", false)), outline.ssh());
    }

    @Test
    void aNamedTargetLimitsTheOutlineToWhatItNeeds() throws Exception {
        BuildOutline outline = outline(Map.of(), "base");
        assertEquals("base", outline.target());
        assertEquals("holds the toolchain", outline.description());
        assertEquals(List.of("APP_NAME", "GO_VERSION"), outline.args().stream().map(BuildOutline.Arg::name).toList());
        assertEquals(List.of(new BuildOutline.Mount("token", true)), outline.secrets());
    }

    @Test
    void aGlobalArgThatFromUsesBringsTheGlobalArgsItsDefaultNames() throws Exception {
        Dockerfile dockerfile = DockerfileParser.parse("Dockerfile", """
                # REGISTRY is where images come from
                ARG REGISTRY=docker.io
                ARG UNUSED=${REGISTRY}
                ARG TAG=latest
                ARG IMAGE=${REGISTRY}/library/busybox:${TAG}
                FROM ${IMAGE}
                """);
        BuildOutline outline = Outlines.outline(dockerfile, BuildPlan.of(dockerfile, Map.of("TAG", "1.36"),
                Optional.empty(), AMD64, AMD64, Set.of()));
        assertEquals(List.of(
                new BuildOutline.Arg("REGISTRY", "docker.io", "is where images come from"),
                new BuildOutline.Arg("TAG", "1.36", ""),
                new BuildOutline.Arg("IMAGE", "docker.io/library/busybox:1.36", "")), outline.args());
    }

    @Test
    void aMissingTargetIsTheBuildsError() {
        assertEquals("target stage \"nope\" could not be found",
                org.junit.jupiter.api.Assertions.assertThrows(BuildException.class, () -> outline(Map.of(), "nope"))
                        .getMessage());
    }
}
