package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.store.DirectoryTrees;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What other tools make of our images: skopeo reads the store and copies a pushed image from a
 * real docker-registry, umoci unpacks the same tree we do, and buildah builds the same tree from
 * the same Dockerfile.
 */
class InteropIT {
    /** Files buildah's chroot isolation writes into every RUN layer; not part of what the Dockerfile made. */
    private static final Set<String> BUILDAH_RUN_FILES = Set.of("etc/hostname", "etc/hosts", "etc/resolv.conf", "run");

    @TempDir
    Path tmp;

    private Store store;
    private LocalRegistry registry;

    @BeforeEach
    void storeWithBusybox() throws IOException {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "builds with RUN need root and overlayfs (CI runs as root)");
        BusyboxImage.assumeBusybox();
        store = Store.open(tmp.resolve("store"));
        BusyboxImage.importInto(store, tmp);
    }

    @AfterEach
    void stopRegistryAndRemoveTrees() throws IOException {
        if (registry != null) {
            registry.close();
        }
        try (var children = Files.list(tmp)) {
            for (Path child : children.toList()) {
                DirectoryTrees.delete(child);
            }
        }
    }

    private static void assumeTool(String name) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", name)), "needs " + name + " (apt-get install " + name + ")");
    }

    private static String run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + "\n" + output);
        return output;
    }

    private BuildResult build(String name, String tag, List<Output> outputs) throws Exception {
        Path caseDirectory = BuildCasesIT.CASES.resolve(name);
        Path context = Files.createDirectories(tmp.resolve("context-" + name));
        BuildRequest.Builder request = BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.File(caseDirectory.resolve("Dockerfile"))).tag(tag);
        outputs.forEach(request::output);
        return Builder.create(store, RegistryOptions.defaults()).build(request.build());
    }

    @Test
    void skopeoAndUmociReadTheStoreAndUmociUnpacksOurTree() throws Exception {
        assumeTool("skopeo");
        assumeTool("umoci");
        BuildResult result = build("whiteouts", "interop:1", List.of());
        String layout = tmp.resolve("store") + ":docker.io/library/interop:1";
        String inspect = run(tmp, "skopeo", "inspect", "oci:" + layout);
        assertTrue(inspect.contains(result.imageDigest().toString()), inspect);
        run(tmp, "umoci", "unpack", "--image", layout, tmp.resolve("bundle").toString());
        Map<String, String> ours = FileTrees.describe(BuiltImage.read(store, "interop:1", tmp).tree(), Set.of());
        assertEquals(ours, FileTrees.describe(tmp.resolve("bundle/rootfs"), Set.of()));
    }

    @Test
    void pushedImageIsReadAndCopiedBySkopeoFromARealRegistry() throws Exception {
        assumeTool("skopeo");
        registry = LocalRegistry.open(Files.createDirectories(tmp.resolve("registry")));
        String reference = registry.host() + "/interop/whiteouts:1";
        BuildResult result = build("whiteouts", reference, List.of(new Output.Registry()));
        String inspect = run(tmp, "skopeo", "inspect", "--tls-verify=false", "docker://" + reference);
        String pushed = result.exported().digest().toString();
        assertTrue(inspect.contains(pushed), inspect);
        String raw = run(tmp, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + reference);
        assertTrue(raw.contains("application/vnd.oci.image.layer.v1.tar+gzip")
                && !raw.contains("application/vnd.oci.image.layer.v1.tar\""), "pushed with gzip layers only: " + raw);
        run(tmp, "skopeo", "copy", "--src-tls-verify=false", "docker://" + reference, "oci:" + tmp.resolve("copied") + ":v1");
        String index = Files.readString(tmp.resolve("copied/index.json"));
        assertTrue(index.contains(pushed), "skopeo copied the manifest unchanged: " + index);
    }

    @Test
    void buildahBudOfTheSameDockerfileGivesTheSameTree() throws Exception {
        assumeTool("buildah");
        assumeTool("umoci");
        build("whiteouts", "interop:1", List.of());
        List<String> buildah = List.of("buildah", "--root", tmp.resolve("containers").toString(),
                "--runroot", tmp.resolve("runroot").toString(), "--storage-driver", "vfs");
        String pulled = run(tmp, concat(buildah, "pull", "-q", "oci:" + tmp.resolve("store") + ":docker.io/library/busybox:latest")).strip();
        run(tmp, concat(buildah, "tag", pulled.lines().reduce((a, b) -> b).orElseThrow(), "docker.io/library/busybox:latest"));
        Path context = Files.createDirectories(tmp.resolve("buildah-context"));
        Files.copy(BuildCasesIT.CASES.resolve("whiteouts/Dockerfile"), context.resolve("Dockerfile"));
        run(tmp, concat(buildah, "bud", "--isolation", "chroot", "--pull-never", "-t", "localhost/interop:1", context.toString()));
        run(tmp, concat(buildah, "push", "localhost/interop:1", "oci:" + tmp.resolve("buildah-oci") + ":latest"));
        run(tmp, "umoci", "unpack", "--image", tmp.resolve("buildah-oci") + ":latest", tmp.resolve("buildah-bundle").toString());
        Map<String, String> ours = FileTrees.describe(BuiltImage.read(store, "interop:1", tmp).tree(), Set.of());
        assertEquals(ours, FileTrees.describe(tmp.resolve("buildah-bundle/rootfs"), BUILDAH_RUN_FILES));
    }

    private static String[] concat(List<String> prefix, String... rest) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
