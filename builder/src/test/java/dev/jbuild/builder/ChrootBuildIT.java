package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.runtime.Isolation;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RUN steps under chroot isolation, where there is no overlay: the step runs in a flattened copy of its
 * parent, and the layer is what differs from a second copy.
 */
class ChrootBuildIT {
    @TempDir
    Path tmp;

    private Store store;

    @BeforeEach
    void storeWithBusybox() throws IOException {
        store = BusyboxImage.storeWithBusybox(tmp);
    }

    @AfterEach
    void removeTrees() throws IOException {
        BusyboxImage.deleteChildren(tmp);
    }

    private BuiltImage build(BuildRequest.DockerfileSource dockerfile, String tag, Consumer<BuildRequest.Builder> options)
            throws Exception {
        BuildRequest.Builder request = BuildRequest.builder(new BuildRequest.Context.Directory(
                Files.createDirectories(tmp.resolve("context")))).dockerfile(dockerfile).tag(tag);
        options.accept(request);
        Builder.create(store).build(request.build());
        return BuiltImage.read(store, tag, Files.createTempDirectory(tmp, "image-"));
    }

    @Test
    void deletionsRenamesAndRecreationsGiveTheTreeAnOverlayBuildGives() throws Exception {
        BuildRequest.DockerfileSource whiteouts = new BuildRequest.DockerfileSource.File(
                BuildCasesIT.CASES.resolve("whiteouts/Dockerfile"));
        BuiltImage overlay = build(whiteouts, "overlay:1", request -> { });
        BuiltImage chroot = build(whiteouts, "chroot:1", request -> request.isolation(Isolation.CHROOT).noCache(true));

        assertEquals(FileTrees.describe(overlay.tree(), Set.of()), FileTrees.describe(chroot.tree(), Set.of()));
        List<String> last = chroot.layerEntries().getLast();
        for (String whiteout : List.of("data/.wh.file", "data/.wh.dir", "data/rename/.wh.from", "bin/.wh.vi")) {
            assertTrue(last.contains(whiteout), whiteout + " in " + last);
        }
        assertTrue(last.contains("data/recreate/.wh..wh..opq") || last.contains("data/recreate/.wh.old"), last.toString());
        assertFalse(last.stream().anyMatch(entry -> entry.startsWith("dev/") || entry.startsWith("etc/")),
                "what the step did not change stays out of its layer: " + last);
    }

    @Test
    void aStepHasDeviceNodesAndAddedHostsThatLeaveNoTrace() throws Exception {
        BuiltImage image = build(new BuildRequest.DockerfileSource.Text("""
                FROM busybox
                RUN echo gone > /dev/null && head -c 4 /dev/zero | wc -c > /zeros && cat /etc/hosts > /hosts-seen
                """), "devices:1", request -> request.isolation(Isolation.CHROOT)
                .addHost(ExtraHost.parse("db.internal:10.1.2.3")));
        assertEquals("4\n", image.file("zeros").stripLeading());
        assertTrue(image.file("hosts-seen").endsWith("10.1.2.3\tdb.internal\n"), image.file("hosts-seen"));
        assertFalse(image.exists("dev/null"), "the device nodes are not in the image");
        assertFalse(image.exists("etc/hosts"), "nor is the step's hosts file");
    }

    @Test
    void aRunMountNeedsMountNamespaces() {
        BuildException refused = assertThrows(BuildException.class, () -> build(new BuildRequest.DockerfileSource.Text("""
                FROM busybox
                RUN --mount=type=tmpfs,target=/scratch true
                """), "mounts:1", request -> request.isolation(Isolation.CHROOT)));
        assertEquals("line 2: RUN --mount needs mount namespaces, which chroot isolation does not have (jbuild info "
                + "says why it is in use)", refused.getMessage());
    }
}
