package dev.jbuild.builder.internal.multiplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.BuildException;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.DockerfileParser;
import dev.jbuild.oci.Platform;
import dev.jbuild.runtime.Emulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which stages of which platform's build need an emulator, decided from the plan alone. */
class EmulationCheckTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    @TempDir
    Path tmp;

    /** An amd64 host whose binfmt_misc is not mounted: only amd64 (and 386) programs run. */
    private Emulation amd64HostWithoutEmulators() throws IOException {
        return Emulation.probe(Files.createDirectories(tmp.resolve("binfmt_misc")),
                Files.createDirectories(tmp.resolve("binfmt.d")), AMD64);
    }

    private static Dockerfile parse(String text) throws Exception {
        return DockerfileParser.parse("Dockerfile", text);
    }

    private List<StagePlatforms> plans(String dockerfile, Map<String, String> args) throws Exception {
        return StagePlatforms.of(parse(dockerfile), args, Optional.empty(), List.of(AMD64, ARM64), AMD64, Set.of());
    }

    @Test
    void stagesRunOnTheirFromPlatformTheirBaseStagesPlatformOrTheTarget() throws Exception {
        List<StagePlatforms> plans = plans("""
                FROM --platform=$BUILDPLATFORM busybox AS tools
                RUN make
                FROM tools AS more
                RUN make more
                FROM busybox
                COPY --from=more /out /out
                """, Map.of());
        StagePlatforms arm = plans.get(1);
        assertEquals(ARM64, arm.target());
        assertEquals(Map.of(0, AMD64, 1, AMD64, 2, ARM64), arm.runsOn());
    }

    @Test
    void buildPlatformStagesAndCopyOnlyStagesNeedNoEmulator() throws Exception {
        EmulationCheck.requireRunnable(plans("""
                FROM --platform=$BUILDPLATFORM busybox AS tools
                ARG TARGETARCH
                RUN echo $TARGETARCH > /out
                FROM busybox
                COPY --from=tools /out /out
                ENV A=b
                """, Map.of()), amd64HostWithoutEmulators());
    }

    @Test
    void aRunOnTheTargetNeedsAnEmulatorAndTheErrorSaysWhereAndHow() throws Exception {
        BuildException error = assertThrows(BuildException.class, () -> EmulationCheck.requireRunnable(plans("""
                FROM busybox AS app
                COPY . /src
                RUN make
                """, Map.of()), amd64HostWithoutEmulators()));
        assertEquals("building for linux/arm64, stage app runs RUN (line 3) on linux/arm64: programs for linux/arm64 "
                        + "(ELF aarch64) cannot run on this linux/amd64 host: binfmt_misc is not mounted at "
                        + tmp.resolve("binfmt_misc") + ". As root, run `jbuild info --install-emulators`",
                error.getMessage().substring(0, error.getMessage().indexOf(" (after")));
    }

    @Test
    void aStageTheTargetDoesNotNeedIsNotChecked() throws Exception {
        List<StagePlatforms> plans = StagePlatforms.of(parse("""
                FROM busybox AS tests
                RUN make test
                FROM busybox AS app
                COPY . /app
                """), Map.of(), Optional.of("app"), List.of(ARM64), AMD64, Set.of());
        EmulationCheck.requireRunnable(plans, amd64HostWithoutEmulators());
    }

    @Test
    void aFromPlatformArgumentIsExpandedWithBuildArgs() throws Exception {
        BuildException error = assertThrows(BuildException.class, () -> EmulationCheck.requireRunnable(plans("""
                ARG TOOLS_PLATFORM
                FROM --platform=${TOOLS_PLATFORM} busybox
                RUN true
                """, Map.of("TOOLS_PLATFORM", "linux/s390x")), amd64HostWithoutEmulators()));
        assertTrue(error.getMessage().startsWith("building for linux/amd64, stage stage-0 runs RUN (line 3) on "
                + "linux/s390x"), error.getMessage());
    }
}
