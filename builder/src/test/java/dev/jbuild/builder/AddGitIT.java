package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.store.DirectoryTrees;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADD of git repositories, served by a real {@code git daemon} on loopback and fetched with the real git. */
class AddGitIT {
    private static final long FIRST_COMMIT_TIME = 1_600_000_000L;
    private static final long SECOND_COMMIT_TIME = 1_650_000_000L;

    @TempDir
    Path tmp;

    private Store store;
    private Process daemon;
    private Path work;
    private String repository;
    private final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void repositoryServedByGitDaemon() throws Exception {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "builds write root-owned layers: they need root (CI runs as root)");
        assumeTrue(CopySourcesIT.onPath("git"), "git is not installed (apt-get install git)");
        BusyboxImage.assumeBusybox();
        store = Store.open(tmp.resolve("store"));
        BusyboxImage.importInto(store, tmp);

        work = Files.createDirectories(tmp.resolve("work"));
        git(work, "init", "-q", "-b", "main");
        Files.writeString(work.resolve("README"), "one\n");
        Files.createDirectories(work.resolve("src/sub"));
        Files.writeString(work.resolve("src/app.txt"), "app\n");
        Files.writeString(work.resolve("src/sub/deep.txt"), "deep\n");
        Files.writeString(work.resolve("run.sh"), "#!/bin/sh\necho run\n");
        Files.setPosixFilePermissions(work.resolve("run.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(work.resolve("link"), Path.of("README"));
        Files.createSymbolicLink(work.resolve("escape"), Path.of("/"));
        commit(FIRST_COMMIT_TIME, "first");
        git(work, "tag", "-a", "-m", "version one", "v1");
        git(work, "branch", "stable");
        Files.writeString(work.resolve("README"), "two\n");
        commit(SECOND_COMMIT_TIME, "second");
        Path served = Files.createDirectories(tmp.resolve("served"));
        git(tmp, "clone", "-q", "--bare", work.toString(), served.resolve("repo.git").toString());

        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        daemon = new ProcessBuilder("git", "daemon", "--export-all", "--reuseaddr", "--base-path=" + served,
                "--port=" + port, "--listen=127.0.0.1", served.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile()).start();
        repository = "git://127.0.0.1:" + port + "/repo.git";
        for (int attempt = 0; ; attempt++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                if (attempt == 100 || !daemon.isAlive()) {
                    throw new IOException("git daemon did not listen on " + port + ": " + Files.readString(tmp.resolve("daemon.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    @AfterEach
    void stopDaemonAndRemoveTrees() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
        try (var children = Files.list(tmp)) {
            for (Path child : children.toList()) {
                DirectoryTrees.delete(child);
            }
        }
    }

    @Test
    void addChecksOutBranchTagCommitAndSubdirectoryWithoutTheGitDirectoryUnlessKept() throws Exception {
        String first = git(work, "rev-parse", "main~1").strip();
        build(file("add-git"), request -> request.buildArg("REPO", repository).buildArg("COMMIT", first));
        BuiltImage image = BuiltImage.read(store, "git:test", tmp);

        assertEquals("two\n", image.file("main/README"), "a branch gives its newest commit");
        assertEquals("deep\n", image.file("main/src/sub/deep.txt"));
        assertEquals(0755, image.mode("main/run.sh"));
        assertEquals(0644, image.mode("main/README"));
        assertEquals("README", Files.readSymbolicLink(image.tree().resolve("main/link")).toString());
        assertEquals("0:0", image.owner("main/src/app.txt"), "checked-out files are root's");
        assertFalse(image.exists("main/.git"), "the .git directory is dropped by default");

        assertEquals("app\n", image.file("tagged-src/app.txt"), "an annotated tag and a subdirectory");
        assertEquals("deep\n", image.file("tagged-src/sub/deep.txt"));
        assertFalse(image.exists("tagged-src/README"));
        assertFalse(image.exists("tagged-src/src"));

        assertEquals("one\n", image.file("at-commit/README"), "a full commit id");

        assertEquals("one\n", image.file("kept/README"));
        assertTrue(image.exists("kept/.git/HEAD"), "--keep-git-dir=true keeps .git");
        assertEquals("1234:5678", image.owner("kept/README"));
        assertEquals("1234:5678", image.owner("kept/.git/HEAD"));

        List<dev.jbuild.oci.Layer> layers = store.image("git:test").layers();
        Map<String, TarArchiveEntry> main = CopySourcesIT.lastLayer(layers.subList(0, 2));
        assertEquals(SECOND_COMMIT_TIME, main.get("main/README").getModTime().toInstant().getEpochSecond(),
                "files carry the commit's time");
        assertEquals(SECOND_COMMIT_TIME, main.get("main/src").getModTime().toInstant().getEpochSecond());
        Map<String, TarArchiveEntry> tagged = CopySourcesIT.lastLayer(layers.subList(0, 3));
        assertEquals(FIRST_COMMIT_TIME, tagged.get("tagged-src/app.txt").getModTime().toInstant().getEpochSecond());
        List<String> history = image.config().history().stream().map(dev.jbuild.oci.History::createdBy).toList();
        assertTrue(history.contains("ADD " + repository + "#main /main # buildkit"), history.toString());
    }

    @Test
    void anUnknownRefFailsNamingTheUrlAndTheRef() {
        BuildException error = assertThrows(BuildException.class, () -> build(
                new BuildRequest.DockerfileSource.Text("FROM busybox\nADD " + repository + "#no-such-branch /src\n"),
                request -> { }));
        assertTrue(error.getMessage().contains(repository), error.getMessage());
        assertTrue(error.getMessage().contains("\"no-such-branch\" not found"), error.getMessage());
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
    }

    @Test
    void aSubdirectoryMustExistInsideTheCheckout() {
        for (String subdir : List.of("escape/etc", "missing")) {
            BuildException error = assertThrows(BuildException.class, () -> build(
                    new BuildRequest.DockerfileSource.Text("FROM busybox\nADD " + repository + "#main:" + subdir + " /src\n"),
                    request -> { }));
            assertTrue(error.getMessage().contains("directory \"" + subdir + "\" not found at commit"), error.getMessage());
        }
    }

    @Test
    void theCacheFollowsTheResolvedCommitSoAMovedBranchMissesAndAnUnchangedOneHits() throws Exception {
        BuildRequest.DockerfileSource dockerfile = new BuildRequest.DockerfileSource.Text(
                "FROM busybox\nADD " + repository + "#main /main/\n");
        BuildResult one = build(dockerfile, request -> { });
        events.clear();
        BuildResult two = build(dockerfile, request -> { });
        assertEquals(1, events.stream().filter(BuildEvent.StepCached.class::isInstance).count(), events.toString());
        assertEquals(one.configDigest(), two.configDigest());

        Files.writeString(work.resolve("README"), "three\n");
        commit(SECOND_COMMIT_TIME + 100, "third");
        git(work, "push", "-q", tmp.resolve("served/repo.git").toString(), "main");
        events.clear();
        BuildResult three = build(dockerfile, request -> { });
        assertEquals(0, events.stream().filter(BuildEvent.StepCached.class::isInstance).count(), events.toString());
        assertNotEquals(one.configDigest(), three.configDigest());
        assertEquals("three\n", BuiltImage.read(store, "git:test", tmp).file("main/README"));
    }

    @Test
    void aKeptGitDirectoryIsReproducible() throws Exception {
        BuildRequest.DockerfileSource dockerfile = new BuildRequest.DockerfileSource.Text(
                "FROM busybox\nADD --keep-git-dir=true " + repository + "#main /kept/\n");
        BuildResult one = build(dockerfile, request -> request.noCache(true).sourceDateEpoch(SECOND_COMMIT_TIME));
        Thread.sleep(1100);
        BuildResult two = build(dockerfile, request -> request.noCache(true).sourceDateEpoch(SECOND_COMMIT_TIME));
        assertEquals(one.imageDigest(), two.imageDigest(), "two checkouts of one commit give the same layer");
        BuiltImage image = BuiltImage.read(store, "git:test", tmp);
        assertEquals(git(work, "rev-parse", "main").strip(), git(image.tree().resolve("kept"), "rev-parse", "HEAD").strip());
        assertEquals("", git(image.tree().resolve("kept"), "status", "--porcelain"), "the kept checkout is clean");
    }

    @Test
    void aGitRepositoryIsABuildContextAndItsCommitTheProvenancesSource() throws Exception {
        String url = repository + "#v1:src";
        String tagged = git(work, "rev-parse", "v1^{commit}").strip();
        Path layoutDirectory = tmp.resolve("layout");
        BuildRequest request = BuildRequest.builder(new BuildRequest.Context.Git(url))
                .dockerfile(new BuildRequest.DockerfileSource.Text("FROM busybox\nCOPY . /ctx/\n"))
                .tag("git-context:1").progress(events::add)
                .provenance(new Provenance(Provenance.Mode.MIN, java.util.Optional.empty(), false))
                .output(new Output.OciLayout(layoutDirectory, false)).build();
        Builder.create(store).build(request);

        BuiltImage image = BuiltImage.read(store, "git-context:1", tmp);
        assertEquals("app\n", image.file("ctx/app.txt"), "the tag's src directory is the context");
        assertEquals("deep\n", image.file("ctx/sub/deep.txt"));
        assertFalse(image.exists("ctx/README"));

        dev.jbuild.store.OciLayout layout = dev.jbuild.store.OciLayout.open(layoutDirectory);
        dev.jbuild.oci.Index index = dev.jbuild.oci.Index.parse(layout.readAll(layout.resolve("1")));
        dev.jbuild.oci.Manifest attestation = dev.jbuild.oci.Manifest.parse(layout.readAll(index.manifests().get(1)));
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> statement = (java.util.Map<String, Object>) dev.jbuild.oci.Json.read(
                layout.readAll(attestation.layers().getFirst()));
        String text = dev.jbuild.oci.Json.writePretty(statement);
        assertTrue(text.contains("\"uri\" : \"" + url + "\""), text);
        assertTrue(text.contains("\"sha1\" : \"" + tagged + "\""), "the commit pins the source: " + text);
        assertTrue(text.contains("\"resolvedDependencies\" : true"), text);

        BuildException missing = assertThrows(BuildException.class, () -> Builder.create(store).build(
                BuildRequest.builder(new BuildRequest.Context.Git(repository + "#no-such-ref")).build()));
        assertTrue(missing.getMessage().startsWith("build context " + repository + "#no-such-ref: ref \"no-such-ref\""),
                missing.getMessage());
    }

    private BuildRequest.DockerfileSource file(String caseName) {
        return new BuildRequest.DockerfileSource.File(BuildCasesIT.CASES.resolve(caseName + "/Dockerfile"));
    }

    private BuildResult build(BuildRequest.DockerfileSource dockerfile,
                              java.util.function.Consumer<BuildRequest.Builder> options) throws BuildException, IOException {
        BuildRequest.Builder request = BuildRequest.builder(new BuildRequest.Context.Directory(
                        Files.createDirectories(tmp.resolve("empty-context"))))
                .dockerfile(dockerfile).tag("git:test").progress(events::add);
        options.accept(request);
        return Builder.create(store).build(request.build());
    }

    private void commit(long time, String message) throws IOException, InterruptedException {
        git(work, "add", "-A");
        ProcessBuilder commit = new ProcessBuilder("git", "-C", work.toString(), "-c", "user.name=Test",
                "-c", "user.email=test@example.com", "commit", "-q", "-m", message).redirectErrorStream(true);
        commit.environment().put("GIT_AUTHOR_DATE", "@" + time + " +0000");
        commit.environment().put("GIT_COMMITTER_DATE", "@" + time + " +0000");
        Process process = commit.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "git commit: " + output);
    }

    private static String git(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString(), "-c", "user.name=Test",
                "-c", "user.email=test@example.com"));
        command.addAll(List.of(arguments));
        return CopySourcesIT.run(command.toArray(String[]::new));
    }
}
