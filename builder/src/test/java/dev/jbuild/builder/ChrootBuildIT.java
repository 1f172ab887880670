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
 * RUN steps where there is no overlay, under chroot isolation or with a store on a file system that cannot
 * hold an overlay's upper directory: the step runs in a flattened copy of its parent, and the layer is
 * what differs from a second copy.
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
        return build(store, dockerfile, tag, options);
    }

    private BuiltImage build(Store store, BuildRequest.DockerfileSource dockerfile, String tag,
                             Consumer<BuildRequest.Builder> options) throws Exception {
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
    void stepsAfterOneAnotherShareOneTreeAndEachLayerHoldsOnlyItsOwnChanges() throws Exception {
        Files.writeString(Files.createDirectories(tmp.resolve("context")).resolve("ctx.txt"), "from the context\n");
        BuildRequest.DockerfileSource dockerfile = STEPS;
        BuiltImage overlay = build(dockerfile, "overlay:1", request -> { });
        BuiltImage chroot = build(dockerfile, "chroot:1", request -> request.isolation(Isolation.CHROOT).noCache(true));

        assertEquals(FileTrees.describe(overlay.tree(), Set.of()), FileTrees.describe(chroot.tree(), Set.of()));
        List<List<String>> layers = chroot.layerEntries();
        assertEquals(List.of("a/", "a/f", "keep"), layers.get(1));
        assertEquals(List.of("a/", "a/f", ".wh.keep", "link"), layers.get(3).stream().sorted(
                java.util.Comparator.comparing((String entry) -> entry.replace(".wh.", ""))).toList());
        assertEquals(List.of("seen"), layers.get(4));
        assertEquals(List.of("listing", "x"), layers.get(5));
    }

    /**
     * Steps after one another, the fifth with mounts: one over a path the image lacks, one over a
     * directory it has; the sixth checks that neither left anything behind.
     */
    private static final BuildRequest.DockerfileSource STEPS = new BuildRequest.DockerfileSource.Text("""
            FROM busybox
            RUN mkdir /a && echo one > /a/f && echo keep > /keep
            COPY ctx.txt /a/ctx.txt
            RUN rm /keep && echo two >> /a/f && ln -s /a/f /link
            ENV X=1
            RUN --mount=type=tmpfs,target=/scratch/tmp --mount=type=cache,target=/a touch /a/in-cache /scratch/tmp/y \
                && echo done > /seen
            RUN test ! -e /scratch && test ! -e /a/in-cache && ls /a > /listing && echo "$X" > /x
            """);

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
    void mountsAreCopiedInAndLeaveNoTraceAndACacheKeepsWhatTheStepWrote() throws Exception {
        Files.writeString(Files.createDirectories(tmp.resolve("context")).resolve("ctx.txt"), "from the context\n");
        Path secret = Files.writeString(tmp.resolve("token"), "s3cr3t-value");
        BuildRequest.DockerfileSource dockerfile = new BuildRequest.DockerfileSource.Text("""
                FROM busybox AS producer
                RUN mkdir /out && echo "from another stage" > /out/f
                FROM busybox
                RUN --mount=type=cache,target=/var/cache/app echo run >> /var/cache/app/log && cp /var/cache/app/log /seen
                RUN --mount=type=bind,source=ctx.txt,target=/mnt/ctx.txt cp /mnt/ctx.txt /from-bind.txt
                RUN --mount=type=bind,from=producer,source=/out,target=/mnt/out cp /mnt/out/f /from-stage.txt
                RUN --mount=type=tmpfs,target=/scratch echo x > /scratch/y && test -f /scratch/y && echo ok > /tmpfs-ok
                RUN --mount=type=secret,id=token wc -c < /run/secrets/token > /secret-size
                """);
        Consumer<BuildRequest.Builder> chroot = request -> request.isolation(Isolation.CHROOT).secret("token", secret);
        BuiltImage image = build(dockerfile, "mounts:1", chroot);
        assertEquals("run\n", image.file("seen"));
        assertEquals("from the context\n", image.file("from-bind.txt"));
        assertEquals("from another stage\n", image.file("from-stage.txt"));
        assertEquals("ok\n", image.file("tmpfs-ok"));
        assertEquals("12\n", image.file("secret-size").stripLeading());
        for (String target : List.of("var/cache/app", "mnt", "scratch", "run/secrets")) {
            assertFalse(image.exists(target), target + " is a mount's, not the image's");
        }
        for (var layer : image.layerContents()) {
            for (var entry : layer.entrySet()) {
                assertFalse(new String(entry.getValue(), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains("s3cr3t-value"), "the secret leaked in " + entry.getKey());
            }
        }
        BuiltImage again = build(dockerfile, "mounts:1", chroot.andThen(request -> request.noCache(true)));
        assertEquals("run\nrun\n", again.file("seen"), "the cache kept what the first build's step wrote");
    }

    @Test
    void aStoreOnAnOverlayBuildsInCopiedTreesWithRealMounts() throws Exception {
        Path overlay = Files.createDirectories(tmp.resolve("overlay/merged"));
        for (String directory : List.of("lower", "upper", "work")) {
            Files.createDirectories(tmp.resolve("overlay").resolve(directory));
        }
        run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + tmp.resolve("overlay/lower") + ",upperdir="
                + tmp.resolve("overlay/upper") + ",workdir=" + tmp.resolve("overlay/work"), overlay.toString());
        try {
            Store onOverlay = Store.open(overlay.resolve("store"));
            BusyboxImage.importInto(onOverlay, Files.createDirectories(tmp.resolve("second-busybox")));
            BuildRequest.DockerfileSource whiteouts = new BuildRequest.DockerfileSource.File(
                    BuildCasesIT.CASES.resolve("whiteouts/Dockerfile"));
            BuiltImage usual = build(whiteouts, "usual:1", request -> { });
            BuiltImage copied = build(onOverlay, whiteouts, "copied:1", request -> { });
            assertEquals(FileTrees.describe(usual.tree(), Set.of()), FileTrees.describe(copied.tree(), Set.of()));
            Files.writeString(Files.createDirectories(tmp.resolve("context")).resolve("ctx.txt"), "from the context\n");
            BuiltImage usualSteps = build(STEPS, "usual-steps:1", request -> { });
            BuiltImage copiedSteps = build(onOverlay, STEPS, "copied-steps:1", request -> { });
            assertEquals(FileTrees.describe(usualSteps.tree(), Set.of()), FileTrees.describe(copiedSteps.tree(), Set.of()));
            assertEquals(usualSteps.layerEntries().subList(1, 6), copiedSteps.layerEntries().subList(1, 6));

            BuiltImage mounts = build(onOverlay, new BuildRequest.DockerfileSource.Text("""
                    FROM busybox
                    RUN --mount=type=cache,target=/var/cache/app echo run >> /var/cache/app/log && cp /var/cache/app/log /seen
                    RUN --mount=type=tmpfs,target=/scratch echo x > /scratch/y && echo ok > /tmpfs-ok
                    RUN --network=none ls /sys/class/net > /links
                    """), "mounts:1", request -> { });
            assertEquals("run\n", mounts.file("seen"));
            assertEquals("ok\n", mounts.file("tmpfs-ok"));
            assertEquals("lo\n", mounts.file("links"), "with namespaces, --network=none is had");
            for (String target : List.of("var/cache/app", "scratch", "proc/1", "dev/null")) {
                assertFalse(mounts.exists(target), target + " is a mount's, not the image's");
            }
        } finally {
            run("umount", overlay.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }

    @Test
    void whatNeedsNamespacesIsRefused() {
        BuildException noNetwork = assertThrows(BuildException.class, () -> build(new BuildRequest.DockerfileSource.Text("""
                FROM busybox
                RUN --network=none true
                """), "none:1", request -> request.isolation(Isolation.CHROOT)));
        assertEquals("line 2: RUN --network=none needs a network namespace, which chroot isolation does not have "
                + "(jbuild info says why it is in use)", noNetwork.getMessage());
    }

    @Test
    void aMountTargetThroughASymbolicLinkIsRefusedAndNothingOutsideIsTouched() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        BuildException refused = assertThrows(BuildException.class, () -> build(new BuildRequest.DockerfileSource.Text(
                "FROM busybox\nRUN ln -s " + outside + " /escape\nRUN --mount=type=tmpfs,target=/escape/x true\n"),
                "escape:1", request -> request.isolation(Isolation.CHROOT)));
        assertTrue(refused.getMessage().startsWith("line 3: ") && refused.getMessage().endsWith(
                "mount target /escape/x passes through the symbolic link /escape, which chroot isolation cannot follow "
                        + "safely"), refused.getMessage());
        assertFalse(Files.exists(outside.resolve("x")));
    }
}
