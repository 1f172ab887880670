package dev.jbuild.store;

import dev.jbuild.oci.ContentCopy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store is an OCI layout that the real skopeo and umoci read, and what skopeo writes imports into it. */
class SkopeoUmociInteropIT {
    private static final String TAG = "docker.io/library/hello:1";

    @TempDir
    Path dir;

    private Store storeWithImage() throws IOException {
        Store store = Store.open(dir.resolve("store"));
        TestImages.Written image = TestImages.write(store, Platform.current(), List.of(
                TestImages.layer(TestImages.files("hello.txt", "hello from jbuild\n")),
                TestImages.layer(TestImages.files("etc/motd", "second layer\n"))));
        store.tag("hello:1", image.manifest());
        return store;
    }

    @Test
    void skopeoCopiesAnImageOutOfTheStore() throws Exception {
        String skopeo = Processes.require("skopeo");
        Store store = storeWithImage();
        Path out = dir.resolve("dir-out");
        Processes.runOk(skopeo, "copy", "oci:" + store.root() + ":" + TAG, "dir:" + out);
        Image image = store.image("hello:1");
        assertArrayEquals(image.rawManifest(), Files.readAllBytes(out.resolve("manifest.json")));
        for (var layer : image.layers()) {
            assertTrue(Files.exists(out.resolve(layer.digest().encoded())), "skopeo copied layer " + layer.digest());
        }
        String inspected = Processes.runOk(skopeo, "inspect", "--raw", "oci:" + store.root() + ":" + TAG);
        assertEquals(new String(image.rawManifest()), inspected.strip());
    }

    @Test
    void umociUnpacksAnImageOfTheStore() throws Exception {
        String umoci = Processes.require("umoci");
        Store store = storeWithImage();
        Path bundle = dir.resolve("bundle");
        List<String> command = new ArrayList<>(List.of(umoci, "unpack"));
        if (!Processes.isRoot()) {
            command.add("--rootless");
        }
        command.addAll(List.of("--image", store.root() + ":" + TAG, bundle.toString()));
        Processes.Result result = Processes.run(command);
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("hello from jbuild\n", Files.readString(bundle.resolve("rootfs/hello.txt")));
        assertEquals("second layer\n", Files.readString(bundle.resolve("rootfs/etc/motd")));

        store.tag("localhost:5000/team/hello:v1.0", store.resolve("hello:1"));
        Path second = dir.resolve("bundle-with-port");
        command.set(command.size() - 2, store.root() + ":localhost:5000/team/hello:v1.0");
        command.set(command.size() - 1, second.toString());
        Processes.Result withPort = Processes.run(command);
        assertEquals(0, withPort.exitCode(), withPort.output());
        assertEquals("hello from jbuild\n", Files.readString(second.resolve("rootfs/hello.txt")));
    }

    @Test
    void whatUmociWritesIntoTheStoreReadsBack() throws Exception {
        String umoci = Processes.require("umoci");
        Store store = storeWithImage();
        Processes.runOk(umoci, "config", "--image", store.root() + ":" + TAG, "--tag", "docker.io/library/hello:2",
                "--config.cmd", "/bin/true", "--config.env", "FROM_UMOCI=1");
        Image changed = store.image("hello:2");
        assertEquals(List.of("/bin/true"), changed.config().config().cmd());
        assertTrue(changed.config().config().env().contains("FROM_UMOCI=1"), changed.config().config().env().toString());
        assertEquals(store.image("hello:1").layers().getFirst().digest(), changed.layers().getFirst().digest());
        assertTrue(store.fsck().clean());
    }

    @Test
    void anImageSkopeoWroteIntoAnOciLayoutImportsIntoTheStore() throws Exception {
        String skopeo = Processes.require("skopeo");
        Path source = dir.resolve("source");
        OciLayout built = OciLayout.create(source);
        TestImages.Written amd = TestImages.write(built, Platform.parse("linux/amd64"),
                List.of(TestImages.layer(TestImages.files("arch", "amd64\n"))));
        TestImages.Written arm = TestImages.write(built, Platform.parse("linux/arm64"),
                List.of(TestImages.layer(TestImages.files("arch", "arm64\n"))));
        Map<Platform, Descriptor> children = new LinkedHashMap<>();
        children.put(Platform.parse("linux/amd64"), amd.manifest());
        children.put(Platform.parse("linux/arm64"), arm.manifest());
        built.tag("multi", TestImages.index(built, children));

        Path skopeoLayout = dir.resolve("skopeo-layout");
        Processes.runOk(skopeo, "copy", "--all", "oci:" + source + ":multi", "oci:" + skopeoLayout + ":copied");
        Processes.runOk(skopeo, "copy", "--override-arch", "arm64", "oci:" + source + ":multi",
                "oci:" + skopeoLayout + ":arm-only");

        Store store = Store.open(dir.resolve("store"));
        OciLayout written = OciLayout.open(skopeoLayout);
        new ContentCopy(written, store, null, 4, null).copy("copied", "imported/multi:1").root();
        new ContentCopy(written, store, null, 4, null).copy("arm-only", "imported/arm:1").root();

        Image armFromIndex = store.image("imported/multi:1", Platform.parse("linux/arm64"));
        assertEquals(arm.manifest().digest(), armFromIndex.digest());
        assertEquals("arm64\n", fileOf(armFromIndex));
        assertEquals("amd64\n", fileOf(store.image("imported/multi:1", Platform.parse("linux/amd64"))));
        Image armOnly = store.image("imported/arm:1", Platform.parse("linux/amd64"));
        assertEquals("arm64", armOnly.config().architecture());
        assertTrue(store.fsck().clean());

        Path roundTrip = dir.resolve("round-trip");
        Processes.runOk(skopeo, "copy", "--all", "oci:" + store.root() + ":docker.io/imported/multi:1",
                "oci:" + roundTrip + ":again");
        assertEquals(store.resolve("imported/multi:1").digest(), OciLayout.open(roundTrip).resolve("again").digest());
    }

    private static String fileOf(Image image) throws IOException {
        try (InputStream blob = image.layers().getFirst().compressed();
                var tar = new TarArchiveInputStream(new GZIPInputStream(blob))) {
            tar.getNextEntry();
            return new String(tar.readAllBytes());
        }
    }
}
