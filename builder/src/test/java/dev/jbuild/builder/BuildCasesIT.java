package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.History;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end builds of the cases under testdata/builds, FROM a busybox image imported into a fresh store. */
class BuildCasesIT {
    static final Path CASES = Path.of(System.getProperty("jbuild.testdata", "../testdata"), "builds");

    @TempDir
    Path tmp;

    private Store store;
    private final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void storeWithBusybox() throws IOException {
        store = BusyboxImage.storeWithBusybox(tmp);
    }

    @AfterEach
    void removeTrees() throws IOException {
        BusyboxImage.deleteChildren(tmp);
    }

    private BuildResult build(String name, Consumer<BuildRequest.Builder> options) throws BuildException, IOException {
        Path caseDirectory = CASES.resolve(name);
        Path context = Files.isDirectory(caseDirectory.resolve("context")) ? caseDirectory.resolve("context")
                : Files.createDirectories(tmp.resolve("empty-context-" + name));
        BuildRequest.Builder request = BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.File(caseDirectory.resolve("Dockerfile")))
                .tag(name + ":test")
                .progress(events::add);
        options.accept(request);
        return Builder.create(store).build(request.build());
    }

    private BuiltImage image(String name) throws IOException {
        return BuiltImage.read(store, name + ":test", tmp);
    }

    private long count(Class<? extends BuildEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    @Test
    void copyFollowsContextRulesOwnersModesIgnoreFileAndHeredocs() throws Exception {
        build("copy-basics", request -> { });
        BuiltImage image = image("copy-basics");
        assertEquals("hello world\n", image.file("hello.txt"));
        assertEquals("top\n", image.file("opt/dir/a.txt"), "a directory source copies its contents");
        assertEquals("nested\n", image.file("opt/dir/sub/b.txt"));
        assertEquals("top\n", image.file("opt/into/a.txt"));
        assertEquals("# readme\n", image.file("docs/README.md"));
        assertEquals("# notes\n", image.file("docs/NOTES.md"));
        assertEquals("0:0", image.owner("hello.txt"), "context files become root's");
        assertEquals("1000:1000", image.owner("home/app/secret.txt"));
        assertEquals(0600, image.mode("home/app/secret.txt"));
        assertEquals("1234:1234", image.owner("numeric/owned.txt"));
        assertEquals("hello world\n", image.file("work/relative.txt"), "relative destinations follow WORKDIR");
        assertEquals("greeting from \n", image.file("heredoc.txt"));
        assertEquals("greeting from hi\n", image.file("expanded.txt"));
        for (List<String> layer : image.layerEntries().subList(1, image.layerEntries().size())) {
            assertFalse(layer.stream().anyMatch(e -> e.contains("ignored") || e.endsWith(".log")),
                    ".dockerignore'd files never reach a layer: " + layer);
        }
        assertEquals("/work", image.config().config().workingDir());
    }

    @Test
    void deletionsRenamesAndRecreationsBecomeWhiteoutsOnlyForWhatExistsBelow() throws Exception {
        build("whiteouts", request -> { });
        BuiltImage image = image("whiteouts");
        assertFalse(image.exists("data/file"));
        assertFalse(image.exists("data/dir"));
        assertFalse(image.exists("data/recreate/old"), "a directory deleted and recreated hides what was below");
        assertEquals("new\n", image.file("data/recreate/new"));
        assertFalse(image.exists("data/rename/from"));
        assertEquals("moved\n", image.file("data/rename/to"));
        assertFalse(image.exists("bin/vi"));
        assertTrue(image.exists("bin/sh"));
        List<String> last = image.layerEntries().getLast();
        assertTrue(last.contains("data/.wh.file"), last.toString());
        assertTrue(last.contains("data/.wh.dir"), last.toString());
        assertTrue(last.contains("data/rename/.wh.from"), last.toString());
        assertTrue(last.contains("bin/.wh.vi"), last.toString());
        assertTrue(last.contains("data/recreate/.wh..wh..opq") || last.contains("data/recreate/.wh.old"), last.toString());
        assertFalse(last.stream().anyMatch(e -> e.contains(".wh.") && e.contains("new")), last.toString());
        assertEquals(List.of("cat", "/data/recreate/new"), image.config().config().cmd());
    }

    @Test
    void multiStageBuildsOnlyWhatTheTargetNeedsAndCopiesBetweenStages() throws Exception {
        build("multi-stage", request -> request.buildArg("GREETING", "howdy"));
        BuiltImage image = image("multi-stage");
        assertEquals("howdy from build\n", image.file("greeting"));
        assertEquals("other\n", image.file("other"));
        assertTrue(image.exists("bin/busybox"));
        assertFalse(image.exists("bin/sh"), "FROM scratch has only what was copied");
        assertEquals(3, image.config().rootfs().diffIds().size());
        assertTrue(events.stream().noneMatch(e -> e instanceof BuildEvent.StepStarted s && s.name().contains("exit 1")),
                "the unused stage is not built");
    }

    @Test
    void secretsReachTheCommandButNoLayerOrHistory() throws Exception {
        Path secret = Files.writeString(tmp.resolve("token"), "s3cr3t-value");
        build("secret", request -> request.secret("token", secret));
        BuiltImage image = image("secret");
        assertEquals("used\n", image.file("used"));
        assertEquals("env\n", image.file("env"));
        for (Map<String, byte[]> layer : image.layerContents()) {
            for (Map.Entry<String, byte[]> entry : layer.entrySet()) {
                assertFalse(entry.getKey().startsWith("run/secrets"), "mount point leaked: " + entry.getKey());
                assertFalse(new String(entry.getValue(), StandardCharsets.ISO_8859_1).contains("s3cr3t-value"),
                        "secret content leaked in " + entry.getKey());
            }
        }
        for (History history : image.config().history()) {
            assertFalse(history.createdBy().contains("s3cr3t"), history.createdBy());
        }
    }

    @Test
    void missingRequiredSecretFailsTheStep() {
        BuildException error = assertThrows(BuildException.class, () -> build("secret", request -> { }));
        assertEquals(2, error.line().orElseThrow());
    }

    @Test
    void failingRunStopsTheBuildNamingTheLineAndExitCode() {
        BuildException error = assertThrows(BuildException.class, () -> build("failing", request -> { }));
        assertEquals(3, error.line().orElseThrow());
        assertTrue(error.getMessage().contains("exit code 3"), error.getMessage());
        assertTrue(error.getMessage().contains("about to fail"), error.getMessage());
        assertTrue(events.stream().noneMatch(e -> e instanceof BuildEvent.StepStarted s && s.name().contains("never")));
    }

    @Test
    void metadataInstructionsShapeTheConfigAndHistory() throws Exception {
        build("metadata", request -> request.buildArg("VERSION", "2.5"));
        BuiltImage image = image("metadata");
        var config = image.config().config();
        assertEquals("2.5", config.envValue("APP_VERSION"));
        assertTrue(config.envValue("PATH").startsWith("/app/bin:/usr/local/sbin"), config.envValue("PATH"));
        assertEquals("2.5", config.labels().get("org.example.version"));
        assertEquals("demo app", config.labels().get("org.example.name"));
        assertTrue(config.exposedPorts().containsAll(List.of("8080/tcp", "9090/udp")), config.exposedPorts().toString());
        assertEquals("app", config.user());
        assertEquals("/app/data", config.workingDir());
        assertTrue(config.volumes().contains("/cache"));
        assertEquals("SIGINT", config.stopSignal());
        assertEquals(List.of("CMD", "true"), config.healthcheck().test());
        assertEquals(List.of("/bin/sh", "-ec"), config.shell());
        assertEquals(List.of("/bin/sh", "-c"), config.entrypoint());
        assertEquals(List.of("/bin/sh", "-ec", "echo hi"), config.cmd());
        assertEquals("2.5 2.5 1000\n", image.file("app/data/info"));
        assertEquals("1000:1000", image.owner("app/data"), "WORKDIR creates its directory as the USER");
        List<History> history = image.config().history();
        long layers = history.stream().filter(h -> !h.emptyLayer()).count();
        assertEquals(image.config().rootfs().diffIds().size(), layers, "history and diff_ids agree");
        assertTrue(history.stream().anyMatch(h -> h.createdBy().equals("RUN |1 VERSION=2.5 /bin/sh -ec echo \"$APP_VERSION $VERSION $(id -u)\" > /app/data/info # buildkit")),
                history.toString());
        assertTrue(history.stream().anyMatch(h -> h.emptyLayer() && h.createdBy().equals("USER app")));
    }

    @Test
    void secondBuildIsCachedAndAContentChangeMissesFromTheCopyOn() throws Exception {
        Path context = tmp.resolve("cache-context");
        Files.createDirectories(context);
        Files.copy(CASES.resolve("cache/context/input.txt"), context.resolve("input.txt"));
        Consumer<BuildRequest.Builder> inTemp = request -> { };
        BuildRequest.Builder first = BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.File(CASES.resolve("cache/Dockerfile")))
                .tag("cache:test").progress(events::add);
        inTemp.accept(first);
        BuildResult one = Builder.create(store).build(first.build());
        assertEquals(0, count(BuildEvent.StepCached.class));
        events.clear();
        BuildResult two = Builder.create(store).build(first.build());
        assertEquals(2, count(BuildEvent.StepCached.class), events.toString());
        assertEquals(one.imageDigest(), two.imageDigest(), "a fully cached build gives the same image");
        events.clear();
        Files.setLastModifiedTime(context.resolve("input.txt"), java.nio.file.attribute.FileTime.fromMillis(0));
        Builder.create(store).build(first.build());
        assertEquals(2, count(BuildEvent.StepCached.class), "an mtime change alone is not a change");
        events.clear();
        Files.writeString(context.resolve("input.txt"), "version two\n");
        BuildResult three = Builder.create(store).build(first.build());
        assertEquals(0, count(BuildEvent.StepCached.class));
        assertTrue(events.stream().anyMatch(e -> e instanceof BuildEvent.StepCacheMiss miss
                && miss.reason().contains("source content changed")), events.toString());
        assertNotEquals(one.imageDigest(), three.imageDigest());
        assertEquals("version two\n", BuiltImage.read(store, "cache:test", tmp).file("copied.txt"));
        events.clear();
        first.noCache(true);
        Builder.create(store).build(first.build());
        assertEquals(0, count(BuildEvent.StepCached.class), "--no-cache runs every step");
        var report = store.fsck();
        assertTrue(report.clean(), "the store stays consistent, unpacked layers included: " + report);
        assertTrue(report.layersChecked() > 0, "builds leave their unpacked layers for the next one");
    }

    @Test
    void aContextFileRewrittenInPlaceMissesThoughItsDigestWasRemembered() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("remembered-context"));
        Path input = Files.writeString(context.resolve("input.txt"), "version one\n");
        FileTime mtime = Files.getLastModifiedTime(input);
        // only digests of files that last changed more than two seconds before the build are remembered
        Thread.sleep(2500);
        BuildRequest request = BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.File(CASES.resolve("cache/Dockerfile")))
                .tag("cache:test").progress(events::add).build();
        Builder.create(store).build(request);
        try (var records = Files.list(store.root().resolve("file-digests"))) {
            assertEquals(1, records.count(), "the build remembered its context's digests");
        }
        events.clear();
        Builder.create(store).build(request);
        assertEquals(2, count(BuildEvent.StepCached.class), events.toString());

        Files.writeString(input, "version two\n");
        Files.setLastModifiedTime(input, mtime);
        events.clear();
        Builder.create(store).build(request);
        assertEquals(0, count(BuildEvent.StepCached.class), "same size and mtime, but a new ctime");
        assertEquals("version two\n", image("cache").file("copied.txt"));
    }

    @Test
    void aTouchedBuildLinksTheUnchangedContextFilesFromTheLayerTheEarlierBuildCopiedThemInto() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("linked-context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nCOPY . /app\nRUN cat /app/a.txt /app/b.txt > /joined\n");
        Files.writeString(context.resolve("a.txt"), "alpha\n");
        Path changed = Files.writeString(context.resolve("b.txt"), "beta\n");
        // only sources that last changed more than two seconds before the build are remembered
        Thread.sleep(2500);
        BuildRequest request = BuildRequest.builder(new BuildRequest.Context.Directory(context)).tag("linked:test").build();
        Builder.create(store).build(request);
        Files.writeString(changed, "beta, changed\n");
        Builder.create(store).build(request);

        BuiltImage image = image("linked");
        assertEquals("alpha\nbeta, changed\n", image.file("joined"), "the RUN step saw both files");
        List<Object> aInodes = new ArrayList<>();
        List<Object> bInodes = new ArrayList<>();
        try (var layers = Files.list(store.root().resolve("layers"))) {
            for (Path layer : layers.toList()) {
                Path app = layer.resolve("diff/app");
                if (Files.isRegularFile(app.resolve("a.txt"))) {
                    aInodes.add(Files.getAttribute(app.resolve("a.txt"), "unix:ino"));
                    bInodes.add(Files.getAttribute(app.resolve("b.txt"), "unix:ino"));
                }
            }
        }
        assertEquals(2, aInodes.size(), "both builds' COPY layers are unpacked");
        assertEquals(aInodes.get(0), aInodes.get(1), "the unchanged file is linked, not copied again");
        assertNotEquals(bInodes.get(0), bInodes.get(1), "the changed file is copied");

        Store fresh = BusyboxImage.storeWithBusybox(tmp.resolve("fresh"));
        Builder.create(fresh).build(request);
        assertEquals(fresh.image("linked:test").config().rootfs().diffIds().get(1),
                store.image("linked:test").config().rootfs().diffIds().get(1),
                "the layer holds what copying every file makes, byte for byte");
        assertTrue(store.fsck().clean());
    }

    @Test
    void copyFromAStageLinksTheFilesThatAlreadyHaveTheirOwnerAndMode() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("from-stage"));
        Files.writeString(context.resolve("Dockerfile"), """
                FROM busybox AS build
                RUN mkdir /out && echo made > /out/made.txt && echo private > /out/private.txt && chmod 600 /out/private.txt
                FROM busybox
                COPY --from=build /out /app
                COPY --from=build --chmod=755 /out/made.txt /exec/made.txt
                COPY --from=build /bin/busybox /tools/busybox
                """);
        Builder.create(store).build(BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .tag("from-stage:test").build());

        BuiltImage image = image("from-stage");
        assertEquals("made\n", image.file("app/made.txt"));
        assertEquals(0644, image.mode("app/made.txt"));
        assertEquals(0600, image.mode("app/private.txt"));
        assertEquals(0755, image.mode("exec/made.txt"));
        assertEquals("0:0", image.owner("exec/made.txt"));
        Map<String, Object> inodes = new java.util.HashMap<>();
        try (var layers = Files.list(store.root().resolve("layers"))) {
            for (Path layer : layers.toList()) {
                for (String path : List.of("out/made.txt", "app/made.txt", "app/private.txt", "exec/made.txt",
                        "bin/busybox", "tools/busybox")) {
                    Path file = layer.resolve("diff").resolve(path);
                    if (Files.isRegularFile(file)) {
                        inodes.put(path, Files.getAttribute(file, "unix:ino"));
                    }
                }
            }
        }
        assertEquals(inodes.get("out/made.txt"), inodes.get("app/made.txt"), "same owner and mode: linked");
        assertNotEquals(inodes.get("out/made.txt"), inodes.get("exec/made.txt"), "another mode: copied");
        assertNotEquals(inodes.get("bin/busybox"), inodes.get("tools/busybox"),
                "a file of a layer below the copy is copied: RUN steps would see one inode at two paths");
        assertTrue(store.fsck().clean());
    }

    @Test
    void sourceDateEpochMakesBuildsReproducibleAcrossStores() throws Exception {
        BuildResult one = build("whiteouts", request -> request.sourceDateEpoch(1700000000).noCache(true));
        store = Store.open(tmp.resolve("second-store"));
        BusyboxImage.importInto(store, tmp.resolve("second"));
        BuildResult two = build("whiteouts", request -> request.sourceDateEpoch(1700000000).noCache(true));
        assertEquals(one.imageDigest(), two.imageDigest());
        assertEquals(java.time.Instant.ofEpochSecond(1700000000), image("whiteouts").config().created());
    }

    @Test
    void addUnpacksLocalArchivesAndDownloadsUrlsCheckingTheirDigest() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("add-context"));
        Files.writeString(context.resolve("plain.txt"), "plain\n");
        try (var file = Files.newOutputStream(context.resolve("archive.tar.gz"));
             var gzip = new java.util.zip.GZIPOutputStream(file);
             var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gzip)) {
            byte[] content = "from the archive\n".getBytes(StandardCharsets.UTF_8);
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("inside/file.txt");
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        byte[] served = "served over http\n".getBytes(StandardCharsets.UTF_8);
        var server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (var socket = server.accept()) {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        continue;
                    }
                    var out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + served.length + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(served);
                    out.flush();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        try {
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/files/remote.txt";
            BuildRequest request = BuildRequest.builder(new BuildRequest.Context.Directory(context))
                    .dockerfile(new BuildRequest.DockerfileSource.File(CASES.resolve("add/Dockerfile")))
                    .tag("add:test").buildArg("URL", url)
                    .buildArg("SUM", dev.jbuild.oci.Digest.sha256(served).toString()).build();
            Builder.create(store).build(request);
            BuiltImage image = image("add");
            assertEquals("from the archive\n", image.file("extract/inside/file.txt"));
            assertEquals("served over http\n", image.file("downloaded/remote.txt"));
            assertEquals(0600, image.mode("downloaded/remote.txt"));
            assertEquals(0644, image.mode("plain.txt"));
            BuildRequest wrongSum = BuildRequest.builder(new BuildRequest.Context.Directory(context))
                    .dockerfile(new BuildRequest.DockerfileSource.File(CASES.resolve("add/Dockerfile")))
                    .buildArg("URL", url).buildArg("SUM", dev.jbuild.oci.Digest.sha256(new byte[0]).toString()).build();
            BuildException error = assertThrows(BuildException.class, () -> Builder.create(store).build(wrongSum));
            assertTrue(error.getMessage().contains("checksum mismatch"), error.getMessage());
        } finally {
            server.close();
        }
    }

    @Test
    void onbuildTriggersOfTheBaseRunInTheChildAndAreNotInherited() throws Exception {
        build("onbuild-base", request -> { });
        assertEquals(2, image("onbuild-base").config().config().onBuild().size());
        build("onbuild-child", request -> { });
        BuiltImage child = image("onbuild-child");
        assertEquals("triggered in the child\n", child.file("child.txt"));
        assertEquals("yes", child.config().config().envValue("FROM_TRIGGER"));
        assertTrue(child.config().config().onBuild().isEmpty());
    }

    @Test
    void targetStopsAtTheNamedStage() throws Exception {
        build("multi-stage", request -> request.target("build"));
        BuiltImage image = image("multi-stage");
        assertEquals("hello from build\n", image.file("out/greeting"));
        assertTrue(image.exists("bin/sh"));
        assertTrue(events.stream().noneMatch(e -> e instanceof BuildEvent.StepStarted s && s.name().contains("/other")));
    }

    @Test
    void contextFromATarAndDockerfileFromText() throws Exception {
        Path tar = tmp.resolve("context.tar");
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(tar))) {
            byte[] content = "from a tar\n".getBytes(StandardCharsets.UTF_8);
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("hello.txt");
            entry.setSize(content.length);
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        }
        try (var stream = Files.newInputStream(tar)) {
            Builder.create(store).build(BuildRequest.builder(new BuildRequest.Context.Tarball(stream))
                    .dockerfile(new BuildRequest.DockerfileSource.Text("FROM busybox\nCOPY hello.txt /from-tar.txt\n"))
                    .tag("tarctx:test").build());
        }
        assertEquals("from a tar\n", image("tarctx").file("from-tar.txt"));
    }

    @Test
    void dockerFormatWritesSchema2ManifestsAndConfigs() throws Exception {
        BuildResult result = build("whiteouts", request -> request.format(ImageFormat.DOCKER));
        var manifest = image("whiteouts").image().manifest();
        assertEquals(dev.jbuild.oci.MediaType.DOCKER_MANIFEST, result.manifest().mediaType());
        assertEquals(dev.jbuild.oci.MediaType.DOCKER_CONFIG, manifest.config().mediaType());
        assertEquals(dev.jbuild.oci.MediaType.DOCKER_LAYER_GZIP, manifest.layers().getFirst().mediaType(), "the base's");
        assertTrue(manifest.layers().stream().skip(1).allMatch(l -> l.mediaType().equals(dev.jbuild.oci.MediaType.DOCKER_LAYER_TAR)),
                "built layers are stored uncompressed: " + manifest.layers());
    }

    @Test
    void runMountsReachTheCommandButNotTheLayer() throws Exception {
        build("mounts", request -> { });
        BuiltImage first = image("mounts");
        assertEquals("run\n", first.file("seen"));
        assertEquals("from the context\n", first.file("from-bind.txt"));
        assertEquals("from another stage\n", first.file("from-stage.txt"));
        assertEquals("ok\n", first.file("tmpfs-ok"));
        assertFalse(first.exists("var/cache/app"), "a cache mount's target is not part of the image");
        assertFalse(first.exists("mnt/ctx.txt"));
        assertFalse(first.exists("scratch"));
        assertEquals("1\n", first.file("links"), "RUN --network=none sees only lo");
        build("mounts", request -> request.noCache(true));
        assertEquals("run\nrun\n", image("mounts").file("seen"), "the cache mount keeps its content between builds");
    }

    @Test
    void noCacheFilterRerunsOnlyTheNamedStages() throws Exception {
        build("multi-stage", request -> { });
        events.clear();
        build("multi-stage", request -> request.noCacheFilter(java.util.Set.of("other")));
        List<String> missed = events.stream().filter(e -> e instanceof BuildEvent.StepCacheMiss miss
                && miss.reason().contains("--no-cache-filter")).map(e -> {
                    int step = ((BuildEvent.StepCacheMiss) e).step();
                    return events.stream().filter(s -> s instanceof BuildEvent.StepStarted started && started.step() == step)
                            .map(s -> ((BuildEvent.StepStarted) s).name()).findFirst().orElseThrow();
                }).toList();
        assertEquals(1, missed.size(), missed.toString());
        assertTrue(missed.getFirst().startsWith("[other "), missed.toString());
        assertTrue(count(BuildEvent.StepCached.class) >= 2, "the build stage stays cached: " + events);
    }
}
