package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.CredentialSource;
import dev.jbuild.registry.testing.CredentialHelperScript;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.registry.testing.MemoryContent;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.registry.testing.SkopeoSupport;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pull, push, copy, tags, manifest inspect, delete, login and logout against a real docker-registry. */
class RegistryCommandsIT {
    private static final Platform AMD64 = new Platform("linux", "amd64");
    private static final Platform ARM64 = new Platform("linux", "arm64");

    @TempDir
    static Path shared;
    static LocalRegistry registry;
    static MemoryContent local = new MemoryContent();
    static Descriptor amd;
    static Descriptor index;

    @TempDir
    Path dir;

    @BeforeAll
    static void pushAnIndex() throws Exception {
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.open(Files.createDirectories(shared.resolve("registry")));
        amd = local.image(null, AMD64, 2, 40_000, 21).withPlatform(AMD64);
        Descriptor arm = local.image(null, ARM64, 1, 40_000, 22).withPlatform(ARM64);
        index = local.index("v1", List.of(amd, arm));
        try (Registry client = new Registry(RegistryOptions.defaults().withCredentials(CredentialSource.ANONYMOUS))) {
            new ContentCopy(local, client.repository(Reference.parse(registry.host() + "/app:v1")), null, 4, null)
                    .copy("v1", "v1");
        }
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String image(String name) {
        return registry.host() + "/" + name;
    }

    @Test
    void pullPicksThePlatformAndPushCopiesItBack() throws Exception {
        Path root = dir.resolve("store");
        CliRun pull = run("--root", root.toString(), "pull", "--platform", "linux/amd64", "--progress", "plain",
                image("app:v1"));
        assertEquals(0, pull.exitCode(), pull.err());
        assertEquals(amd.digest(), Store.open(root).resolve(image("app:v1")).digest());
        assertTrue(pull.out().startsWith("pulled " + image("app:v1") + " " + amd.digest()), pull.out());
        assertTrue(pull.err().contains("started") && pull.err().contains("done"), pull.err());

        CliRun push = run("--root", root.toString(), "push", "--progress", "json", image("app:v1"), image("pushed:v2"));
        assertEquals(0, push.exitCode(), push.err());
        assertTrue(push.err().contains("\"event\":\"mounted\",\"kind\":\"blob\""), push.err());
        assertFalse(push.err().contains("\"event\":\"done\",\"kind\":\"blob\""),
                "layers are mounted from the repository they were pulled from, not read from the store: " + push.err());
        assertTrue(push.out().contains("(0 B transferred"), "mounted layers are not counted as transferred: " + push.out());
        try (Registry client = new Registry(RegistryOptions.defaults().withCredentials(CredentialSource.ANONYMOUS))) {
            assertEquals(amd.digest(), client.repository(Reference.parse(image("pushed:v2"))).resolve("v2").digest());
        }
    }

    @Test
    void allPlatformsPullAndPushKeepTheIndex() throws Exception {
        Path root = dir.resolve("store");
        assertEquals(0, run("--root", root.toString(), "pull", "-q", "--all-platforms", image("app:v1")).exitCode());
        assertEquals(index.digest(), Store.open(root).resolve(image("app:v1")).digest());
        CliRun push = run("--root", root.toString(), "push", "-q", image("app:v1"), image("copy-of-index:v1"));
        assertEquals(0, push.exitCode(), push.err());
        CliRun inspect = run("manifest", "inspect", image("copy-of-index:v1"));
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertEquals(index.digest(), Digest.sha256(inspect.out().strip().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void copyGoesBetweenRegistryLayoutAndStore() throws Exception {
        Path layout = dir.resolve("layout");
        CliRun toLayout = run("copy", "-q", "--all-platforms", "docker://" + image("app:v1"), "oci:" + layout + ":t");
        assertEquals(0, toLayout.exitCode(), toLayout.err());
        assertEquals(index.digest(), OciLayout.open(layout).resolve("t").digest());

        CliRun back = run("copy", "-q", "--all-platforms", "oci:" + layout + ":t", "docker://" + image("from-layout:t"));
        assertEquals(0, back.exitCode(), back.err());
        Path root = dir.resolve("store");
        CliRun toStore = run("--root", root.toString(), "copy", "-q", "--platform", "linux/arm64", "oci:" + layout + ":t",
                "example.com/mine:arm");
        assertEquals(0, toStore.exitCode(), toStore.err());
        assertTrue(!Store.open(root).resolve("example.com/mine:arm").digest().equals(index.digest()));

        CliRun unknown = run("copy", "oci-archive:x.tar", "oci:" + layout + ":u");
        assertEquals(2, unknown.exitCode());
    }

    @Test
    void skopeoReadsWhatCopyWroteToALayout() throws Exception {
        SkopeoSupport.assumeInstalled();
        Path layout = dir.resolve("layout");
        assertEquals(0, run("copy", "-q", "docker://" + image("app:v1"), "oci:" + layout + ":t").exitCode());
        String raw = SkopeoSupport.run("inspect", "--raw", "oci:" + layout + ":t");
        assertEquals(amd.digest(), Digest.sha256(raw.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void whatSkopeoPushesWePullAndItUnpacksAsUmociUnpacksIt() throws Exception {
        SkopeoSupport.assumeInstalled();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci")),
                "umoci is not installed (apt-get install -y umoci); unpack comparison skipped");
        Path source = Files.createDirectories(dir.resolve("src/data/sub"));
        // umoci 0.4.7 ends a layer right after the last file's data, without the tar padding and
        // end-of-archive blocks; a last file of whole 512-byte blocks keeps that from mattering here
        Files.writeString(source.resolve("hello.txt"), "hello\n".repeat(256));
        Files.writeString(source.getParent().resolve("remove-me"), "soon gone\n");
        Path script = source.getParent().resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(source.getParent().resolve("link"), Path.of("sub/hello.txt"));
        Path layout = dir.resolve("umoci-layout");
        exec("umoci", "init", "--layout", layout.toString());
        exec("umoci", "new", "--image", layout + ":v1");
        exec("umoci", "insert", "--image", layout + ":v1", source.getParent().toString(), "/data");
        exec("umoci", "insert", "--image", layout + ":v1", "--whiteout", "/data/remove-me");
        SkopeoSupport.run("copy", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                "docker://" + image("interop/umoci:v1"));

        Path root = dir.resolve("store");
        CliRun pull = run("--root", root.toString(), "pull", "-q", image("interop/umoci:v1"));
        assertEquals(0, pull.exitCode(), pull.err());
        Path ours = Files.createDirectories(dir.resolve("ours"));
        for (dev.jbuild.oci.Layer layer : Store.open(root).image(image("interop/umoci:v1")).layers()) {
            try (java.io.InputStream blob = layer.compressed()) {
                dev.jbuild.store.LayerApplier.apply(blob, ours, dev.jbuild.store.ApplyMode.FLATTEN);
            }
        }
        exec("umoci", "unpack", "--image", layout + ":v1", dir.resolve("bundle").toString());

        assertEquals(describeTree(dir.resolve("bundle/rootfs")), describeTree(ours));
        assertTrue(Files.isRegularFile(ours.resolve("data/sub/hello.txt")));
        assertTrue(!Files.exists(ours.resolve("data/remove-me")));
    }

    private static void exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }

    /** Every path under {@code root} with its type, permissions and content or link target. */
    private static java.util.Map<String, String> describeTree(Path root) throws java.io.IOException {
        java.util.Map<String, String> tree = new java.util.TreeMap<>();
        try (var paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String name = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    tree.put(name, "link " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path)) {
                    tree.put(name, "dir " + java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(path)));
                } else {
                    tree.put(name, "file " + java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(path)) + " " + Digest.sha256(Files.readAllBytes(path)));
                }
            }
        }
        return tree;
    }

    @Test
    void aPlainHttpRegistryOffLoopbackNeedsInsecureRegistry() throws Exception {
        String address = LocalRegistry.nonLoopbackAddress();
        Path layout = dir.resolve("layout");
        assertEquals(0, run("copy", "-q", "docker://" + image("app:v1"), "oci:" + layout + ":t").exitCode());
        try (LocalRegistry remote = LocalRegistry.openOn(Files.createDirectories(dir.resolve("remote")), address)) {
            String target = "docker://" + remote.host() + "/far/app:t";

            CliRun refused = run("copy", "-q", "oci:" + layout + ":t", target);
            assertEquals(3, refused.exitCode(), refused.err());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
            assertTrue(refused.err().contains("not reachable over HTTPS")
                    && refused.err().contains("--insecure-registry " + remote.host()), refused.err());
            Path root = dir.resolve("store");
            CliRun refusedPull = run("--root", root.toString(), "pull", "-q", remote.host() + "/far/app:t");
            assertEquals(3, refusedPull.exitCode(), refusedPull.err());
            assertTrue(refusedPull.err().contains("--insecure-registry " + remote.host()), refusedPull.err());

            CliRun push = run("copy", "-q", "--insecure-registry", remote.host(), "oci:" + layout + ":t", target);
            assertEquals(0, push.exitCode(), push.err());
            CliRun pull = run("--root", root.toString(), "pull", "-q", "--insecure-registry", remote.host(),
                    remote.host() + "/far/app:t");
            assertEquals(0, pull.exitCode(), pull.err());
            assertEquals(amd.digest(), Store.open(root).resolve(remote.host() + "/far/app:t").digest());
        }
    }

    @Test
    void loginWithACredsStoreStoresThroughTheHelperAndLogoutErases() throws Exception {
        Path htpasswd = dir.resolve("htpasswd");
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        Files.writeString(htpasswd, "tester:" + OpenBSDBCrypt.generate("2a", "s3cret".toCharArray(), salt, 6) + "\n");
        CredentialHelperScript helper = CredentialHelperScript.install(dir.resolve("helpers"), "jbuildtest");
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"credsStore\":\"jbuildtest\"}");
        String helperDir = helper.directory().toString();
        try (LocalRegistry basic = LocalRegistry.htpasswd(Files.createDirectories(dir.resolve("basic")), htpasswd)) {
            CliRun login = run("login", "--authfile", config.toString(), "--credential-helper-dir", helperDir,
                    "-u", "tester", "-p", "s3cret", basic.host());
            assertEquals(0, login.exitCode(), login.err());
            assertTrue(helper.holds(basic.host()));
            assertTrue(!Files.readString(config).contains("s3cret"));

            Path layout = dir.resolve("layout");
            assertEquals(0, run("copy", "-q", "docker://" + image("app:v1"), "oci:" + layout + ":t").exitCode());
            CliRun push = run("copy", "-q", "--authfile", config.toString(), "--credential-helper-dir", helperDir,
                    "oci:" + layout + ":t", "docker://" + basic.host() + "/private:t");
            assertEquals(0, push.exitCode(), push.err());
            CliRun missing = run("copy", "-q", "--authfile", config.toString(), "oci:" + layout + ":t",
                    "docker://" + basic.host() + "/private:t");
            assertTrue(missing.exitCode() != 0 && missing.err().contains("docker-credential-jbuildtest"),
                    missing.err());

            CliRun logout = run("logout", "--authfile", config.toString(), "--credential-helper-dir", helperDir,
                    basic.host());
            assertEquals(0, logout.exitCode(), logout.err());
            assertTrue(!helper.holds(basic.host()));
            assertEquals(List.of("store " + basic.host(), "get " + basic.host(), "erase " + basic.host()),
                    helper.calls().stream().distinct().toList());
        }
    }

    @Test
    void formatDockerPushesDockerSchema2ThatSkopeoReadsAsSuch() throws Exception {
        SkopeoSupport.assumeInstalled();
        Path root = dir.resolve("store");
        assertEquals(0, run("--root", root.toString(), "pull", "-q", "--all-platforms", image("app:v1")).exitCode());

        CliRun push = run("--root", root.toString(), "push", "-q", "--format", "docker", image("app:v1"),
                image("docker-push:v1"));
        assertEquals(0, push.exitCode(), push.err());
        String list = SkopeoSupport.run("inspect", "--raw", "--tls-verify=false",
                "docker://" + image("docker-push:v1"));
        assertTrue(list.contains("\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\""), list);
        assertTrue(!list.contains("vnd.oci"), list);
        Digest pushed = Digest.sha256(list.getBytes(StandardCharsets.UTF_8));
        assertTrue(push.out().contains("converted " + index.digest() + " to Docker schema 2 as " + pushed
                + " (--format docker)"), push.out());
        assertTrue(push.out().contains("pushed " + image("docker-push:v1") + " " + pushed), push.out());
        @SuppressWarnings("unchecked")
        var entries = (List<java.util.Map<String, Object>>) ((java.util.Map<String, Object>) dev.jbuild.oci.Json.read(
                list.getBytes(StandardCharsets.UTF_8))).get("manifests");
        String amdDocker = SkopeoSupport.run("inspect", "--raw", "--tls-verify=false",
                "docker://" + image("docker-push@" + entries.getFirst().get("digest")));
        assertTrue(amdDocker.contains("\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\"")
                && amdDocker.contains("application/vnd.docker.container.image.v1+json")
                && amdDocker.contains("application/vnd.docker.image.rootfs.diff.tar.gzip"), amdDocker);

        CliRun copy = run("copy", "-q", "--format", "docker", "docker://" + image("app:v1"),
                "docker://" + image("docker-copy:v1"));
        assertEquals(0, copy.exitCode(), copy.err());
        String copied = SkopeoSupport.run("inspect", "--raw", "--tls-verify=false", "docker://" + image("docker-copy:v1"));
        assertTrue(copied.contains("\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\""), copied);
        assertTrue(copy.out().contains("to Docker schema 2 as " + Digest.sha256(copied.getBytes(StandardCharsets.UTF_8))),
                copy.out());
        assertEquals(2, run("copy", "--format", "docker", "docker://" + image("app:v1"), "oci:" + dir.resolve("l")).exitCode());
        assertEquals(2, run("--root", root.toString(), "push", "--format", "v1", image("app:v1")).exitCode());
    }

    @Test
    void tagsDeleteAndErrorsExitWithTheirCodes() throws Exception {
        try (Registry client = new Registry(RegistryOptions.defaults().withCredentials(CredentialSource.ANONYMOUS))) {
            new ContentCopy(local, client.repository(Reference.parse(image("doomed:a"))), null, 4, null).copy("v1", "a");
        }
        CliRun tags = run("tags", image("doomed"));
        assertEquals(0, tags.exitCode(), tags.err());
        assertEquals("a", tags.out().strip());

        assertEquals(2, run("delete", image("doomed:a")).exitCode());
        CliRun delete = run("delete", image("doomed@" + index.digest()));
        assertEquals(0, delete.exitCode(), delete.err());
        CliRun gone = run("manifest", "inspect", image("doomed:a"));
        assertEquals(3, gone.exitCode());
        assertTrue(gone.err().startsWith("error: " + registry.host() + "/doomed: "), gone.err());
        assertEquals(2, run("pull", "Not A Reference").exitCode());
    }

    @Test
    void loginChecksAndSavesCredentialsAndLogoutRemovesThem() throws Exception {
        Path htpasswd = dir.resolve("htpasswd");
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        Files.writeString(htpasswd, "tester:" + OpenBSDBCrypt.generate("2a", "s3cret".toCharArray(), salt, 6) + "\n");
        Path authFile = dir.resolve("auth.json");
        try (LocalRegistry basic = LocalRegistry.htpasswd(dir, htpasswd)) {
            assertEquals(3, run("login", "--authfile", authFile.toString(), "-u", "tester", "-p", "wrong",
                    basic.host()).exitCode());
            assertTrue(!Files.exists(authFile));
            CliRun login = run("login", "--authfile", authFile.toString(), "-u", "tester", "-p", "s3cret", basic.host());
            assertEquals(0, login.exitCode(), login.err());
            assertTrue(Files.readString(authFile).contains(basic.host()));

            Path layout = dir.resolve("layout");
            assertEquals(0, run("copy", "-q", "--all-platforms", "docker://" + image("app:v1"),
                    "oci:" + layout + ":t").exitCode());
            assertEquals(3, run("copy", "-q", "--all-platforms", "oci:" + layout + ":t",
                    "docker://" + basic.host() + "/private:t").exitCode());
            CliRun push = run("copy", "-q", "--all-platforms", "--authfile", authFile.toString(), "oci:" + layout + ":t",
                    "docker://" + basic.host() + "/private:t");
            assertEquals(0, push.exitCode(), push.err());

            assertEquals(0, run("logout", "--authfile", authFile.toString(), basic.host()).exitCode());
            assertTrue(!Files.readString(authFile).contains(basic.host()));
        }
    }
}
