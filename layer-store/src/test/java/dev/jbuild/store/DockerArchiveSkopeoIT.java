package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skopeo reads the docker-archives we write, and we read the ones skopeo writes. */
class DockerArchiveSkopeoIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsSkopeo() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")),
                "skopeo is not installed (apt-get install skopeo); skipping docker-archive interop");
    }

    @Test
    void skopeoCopiesOurArchiveIntoAnOciLayout() throws Exception {
        TinyImage image = TinyImage.create();
        Path tarball = dir.resolve("ours.tar");
        try (DockerArchiveSink sink = DockerArchiveSink.create(tarball)) {
            image.copyTo(sink, "localhost/ours:1");
        }
        Path layout = dir.resolve("layout");
        skopeo("copy", "docker-archive:" + tarball + ":localhost/ours:1", "oci:" + layout + ":copied");
        Index index = Index.parse(Files.readAllBytes(layout.resolve("index.json")));
        Descriptor copied = index.manifests().getFirst();
        Manifest manifest = Manifest.parse(Files.readAllBytes(layout.resolve(copied.digest().layoutPath())));
        Manifest original = Manifest.parse(image.blobs().get(image.manifest().digest()));
        assertArrayEquals(image.blobs().get(original.config().digest()),
                Files.readAllBytes(layout.resolve(manifest.config().digest().layoutPath())));
        assertEquals(2, manifest.layers().size());
    }

    @Test
    void weReadTheArchiveSkopeoWrites() throws Exception {
        TinyImage image = TinyImage.create();
        Path layout = dir.resolve("source-layout");
        Files.createDirectories(layout.resolve("blobs/sha256"));
        for (var blob : image.blobs().entrySet()) {
            Files.write(layout.resolve(blob.getKey().layoutPath()), blob.getValue());
        }
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Descriptor tagged = image.manifest().withAnnotations(java.util.Map.of(Descriptor.REF_NAME_ANNOTATION, "v1"));
        Files.write(layout.resolve("index.json"), Index.of(false, List.of(tagged)).toJson());

        Path tarball = dir.resolve("skopeo.tar");
        skopeo("copy", "oci:" + layout + ":v1", "docker-archive:" + tarball + ":example.com/from/skopeo:v1");
        try (DockerArchiveSource source = DockerArchiveSource.open(tarball)) {
            assertEquals(List.of("example.com/from/skopeo:v1"), source.tags());
            Manifest manifest = Manifest.parse(source.readAll(source.resolve("example.com/from/skopeo:v1")));
            Manifest original = Manifest.parse(image.blobs().get(image.manifest().digest()));
            assertEquals(original.config().digest(), manifest.config().digest());
            assertEquals(2, manifest.layers().size());
            for (Descriptor layer : manifest.layers()) {
                source.readAll(layer);
            }
        }
    }

    private static void skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, process.waitFor(120, TimeUnit.SECONDS), "skopeo timed out");
        assertEquals(0, process.exitValue(), "skopeo " + String.join(" ", args) + " failed:\n" + output);
    }
}
