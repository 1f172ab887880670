package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code --provenance} and {@code --attest type=provenance} values as buildx takes them, and materials' URIs. */
class ProvenanceTest {
    private static final Provenance MIN = new Provenance(Provenance.Mode.MIN, Optional.empty(), false);

    @Test
    void trueIsMinModeAndFalseIsNone() {
        assertEquals(Optional.of(MIN), Provenance.parse("true"));
        assertEquals(Optional.of(MIN), Provenance.parse("1"));
        assertEquals(Optional.empty(), Provenance.parse("false"));
        assertEquals(Optional.empty(), Provenance.parse("0"));
        assertEquals(Optional.empty(), Provenance.parse("mode=max,disabled=true"));
    }

    @Test
    void fieldsSetTheModeTheBuilderIdAndReproducibility() {
        assertEquals(Optional.of(new Provenance(Provenance.Mode.MAX, Optional.of("https://ci/run/1"), true)),
                Provenance.parse("mode=max,builder-id=https://ci/run/1,reproducible=true,version=v1"));
        assertEquals(Optional.of(new Provenance(Provenance.Mode.MAX, Optional.empty(), false)),
                Provenance.parseAttest("type=provenance,mode=max"));
    }

    @Test
    void theVersionAndWhetherAndWhereFileTreesCarryItAreFieldsToo() {
        assertEquals(Optional.of(new Provenance(Provenance.Mode.MIN, Optional.of("https://ci/run/2"), false,
                        Provenance.Version.V0_2, true, "provenance.json")),
                Provenance.parseAttest("type=provenance,mode=min,inline-only=true,builder-id=https://ci/run/2,version=v0.2"),
                "what docker/build-push-action passes");
        assertEquals(Optional.of(new Provenance(Provenance.Mode.MIN, Optional.empty(), false, Provenance.Version.V1,
                false, "slsa.json")), Provenance.parse("filename=slsa.json"));
        assertEquals("https://slsa.dev/provenance/v0.2", Provenance.Version.V0_2.predicateType());
    }

    @Test
    void whatJbuildCannotWriteIsAClearError() {
        assertEquals("--provenance version=v0.3: version is v1 or v0.2, not \"v0.3\"",
                assertThrows(IllegalArgumentException.class, () -> Provenance.parse("version=v0.3")).getMessage());
        assertEquals("--provenance filename=../x.json: a provenance filename is a file name, not \"../x.json\"",
                assertThrows(IllegalArgumentException.class, () -> Provenance.parse("filename=../x.json")).getMessage());
        assertEquals("--provenance mode=full: mode is min or max, not \"full\"",
                assertThrows(IllegalArgumentException.class, () -> Provenance.parse("mode=full")).getMessage());
        assertEquals("--provenance maybe: expected key=value fields, not \"maybe\"",
                assertThrows(IllegalArgumentException.class, () -> Provenance.parse("maybe")).getMessage());
        assertEquals("--provenance colour=red: unknown field \"colour\"",
                assertThrows(IllegalArgumentException.class, () -> Provenance.parse("colour=red")).getMessage());
    }

    @Test
    void imagesArePackageUrlsAsBuildKitWritesThem() {
        Digest digest = Digest.sha256("index".getBytes(StandardCharsets.UTF_8));
        Platform arm = Platform.parse("linux/arm64/v8");
        assertEquals("pkg:docker/alpine@3.20?platform=linux%2Farm64%2Fv8",
                Material.image(Reference.parse("alpine:3.20"), arm, digest).uri());
        assertEquals("pkg:docker/library-less/tool@latest?platform=linux%2Farm64%2Fv8",
                Material.image(Reference.parse("library-less/tool"), arm, digest).uri());
        assertEquals("pkg:docker/ghcr.io/acme/app@1.0?platform=linux%2Farm64%2Fv8",
                Material.image(Reference.parse("ghcr.io/acme/app:1.0"), arm, digest).uri());
        assertEquals("pkg:docker/alpine@" + digest.algorithm() + "%3A" + digest.encoded() + "?platform=linux%2Farm64%2Fv8",
                Material.image(Reference.parse("alpine@" + digest), arm, digest).uri(), "a digest is the version");
        assertEquals(new Material("https://example.com/a.tgz", "sha256", digest.encoded()),
                Material.download("https://example.com/a.tgz", digest));
        assertEquals("sha1", Material.gitCommit("https://example.com/r.git", "a".repeat(40)).algorithm());
    }
}
