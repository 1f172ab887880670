package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.Platform;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.runtime.Emulation;
import dev.jbuild.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --annotation} on a single image's manifest and on a multi-platform index, its descriptors and manifests. */
class AnnotationsIT {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    @TempDir
    Path tmp;

    private Store store;

    @BeforeEach
    void store() throws Exception {
        store = Store.open(tmp.resolve("store"));
    }

    private BuildRequest.Builder request(String... annotations) throws Exception {
        BuildRequest.Builder request = BuildRequest.builder(new BuildRequest.Context.Directory(
                Files.createDirectories(tmp.resolve("context"))))
                .dockerfile(new BuildRequest.DockerfileSource.Text("FROM scratch\nLABEL made=here\n"));
        for (String annotation : annotations) {
            request.annotation(Annotation.parse(annotation));
        }
        return request;
    }

    private Map<String, String> manifestAnnotations(Descriptor manifest) throws Exception {
        return Manifest.parse(store.readAll(manifest)).annotations();
    }

    @Test
    void anImagesManifestCarriesItsAnnotationsAndAnIndexAnnotationNeedsAnIndex() throws Exception {
        BuildResult result = Builder.create(store).build(request("org.opencontainers.image.description=one image",
                "manifest[" + Platform.current().normalized().format() + "]:this.platform=yes",
                "manifest[linux/s390x]:other.platform=no").platform(Platform.current().normalized()).build());
        assertEquals(Map.of("org.opencontainers.image.description", "one image", "this.platform", "yes"),
                manifestAnnotations(result.manifest()));

        BuildException refused = assertThrows(BuildException.class,
                () -> Builder.create(store).build(request("index:org.opencontainers.image.description=x").build()));
        assertTrue(refused.getMessage().contains("need an index"), refused.getMessage());
    }

    @Test
    void aMultiPlatformBuildAnnotatesTheIndexItsDescriptorsAndEachPlatformsManifest() throws Exception {
        Emulation none = Emulation.probe(Files.createDirectories(tmp.resolve("unmounted-binfmt_misc")),
                Files.createDirectories(tmp.resolve("no-binfmt.d")), Platform.current());
        MultiPlatformResult result = MultiPlatformBuilder.create(store, RegistryOptions.defaults(), none)
                .build(request("index,manifest:org.opencontainers.image.description=both",
                        "manifest[linux/arm64]:arch.only=arm", "manifest-descriptor:described=yes")
                        .tag("annotated:1").build(), List.of(AMD64, ARM64), 2);

        Index index = Index.parse(store.readAll(result.index()));
        assertEquals(Map.of("org.opencontainers.image.description", "both"), index.annotations());
        for (Descriptor descriptor : index.manifests()) {
            assertEquals(Map.of("described", "yes"), descriptor.annotations(), descriptor.toString());
        }
        assertEquals(Map.of("org.opencontainers.image.description", "both"),
                manifestAnnotations(result.images().get(AMD64).manifest()));
        assertEquals(Map.of("org.opencontainers.image.description", "both", "arch.only", "arm"),
                manifestAnnotations(result.images().get(ARM64).manifest()));
    }
}
