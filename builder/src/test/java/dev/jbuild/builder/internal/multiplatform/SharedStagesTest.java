package dev.jbuild.builder.internal.multiplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.dockerfile.DockerfileParser;
import dev.jbuild.oci.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which stages all platforms' builds would run identically, and so are built once first. */
class SharedStagesTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    private static List<String> toBuildFirst(String dockerfile) throws Exception {
        return SharedStages.toBuildFirst(StagePlatforms.of(DockerfileParser.parse("Dockerfile", dockerfile), Map.of(),
                Optional.empty(), List.of(AMD64, ARM64), AMD64, Set.of()), AMD64);
    }

    @Test
    void theLastBuildPlatformStageOfAChainIsBuiltFirst() throws Exception {
        assertEquals(List.of("1"), toBuildFirst("""
                FROM --platform=$BUILDPLATFORM busybox AS deps
                RUN fetch
                FROM deps AS compile
                RUN make
                FROM busybox
                COPY --from=compile /out /out
                """));
    }

    @Test
    void aStageThatDeclaresATargetArgOrRunsOnTheTargetIsNotShared() throws Exception {
        assertEquals(List.of(), toBuildFirst("""
                FROM --platform=$BUILDPLATFORM busybox AS cross
                ARG TARGETARCH
                RUN GOARCH=$TARGETARCH make
                FROM busybox
                RUN make
                COPY --from=cross /out /out
                """));
    }

    @Test
    void aStageWithoutRunIsNotWorthBuildingFirst() throws Exception {
        assertEquals(List.of(), toBuildFirst("""
                FROM --platform=$BUILDPLATFORM busybox AS files
                COPY . /src
                FROM busybox
                COPY --from=files /src /src
                """));
    }

    @Test
    void aSingleTargetPlatformSharesNothing() throws Exception {
        assertEquals(List.of(), SharedStages.toBuildFirst(StagePlatforms.of(DockerfileParser.parse("Dockerfile", """
                FROM --platform=$BUILDPLATFORM busybox AS tools
                RUN make
                """), Map.of(), Optional.empty(), List.of(ARM64), AMD64, Set.of()), AMD64));
    }
}
