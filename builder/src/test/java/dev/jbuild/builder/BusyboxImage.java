package dev.jbuild.builder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.oci.ContainerConfig;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.History;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.RootFs;
import dev.jbuild.store.BlobWriter;
import dev.jbuild.store.DirectoryTrees;
import dev.jbuild.store.LayerBlob;
import dev.jbuild.store.LayerWriteOptions;
import dev.jbuild.store.LayerWriter;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A one-layer busybox image made from the host's static /bin/busybox, imported into a store as {@code busybox:latest}. */
final class BusyboxImage {
    static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxImage() {
    }

    static void assumeBusybox() {
        assumeTrue(Files.isExecutable(BUSYBOX), "needs a static /bin/busybox (apt-get install busybox-static)");
    }

    /** Creates the rootfs in {@code dir}: busybox, applet symlinks, /etc/passwd and /etc/group (root, app 1000). */
    static Path rootfs(Path dir) throws IOException {
        assumeBusybox();
        Files.createDirectories(dir.resolve("bin"));
        Files.copy(BUSYBOX, dir.resolve("bin/busybox"));
        Process list = new ProcessBuilder(BUSYBOX.toString(), "--list-full").redirectErrorStream(true).start();
        String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (String applet : applets.split("\n")) {
            Path link = dir.resolve(applet.trim());
            if (applet.isBlank() || Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of("/bin/busybox"));
        }
        for (String sub : List.of("etc", "tmp", "root", "home/app", "proc", "sys", "dev")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.setAttribute(dir.resolve("tmp"), "unix:mode", 01777);
        Files.setAttribute(dir.resolve("home/app"), "unix:uid", 1000);
        Files.setAttribute(dir.resolve("home/app"), "unix:gid", 1000);
        Files.writeString(dir.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                app:x:1000:1000:app:/home/app:/bin/sh
                nobody:x:65534:65534:nobody:/nonexistent:/bin/false
                """);
        Files.writeString(dir.resolve("etc/group"), """
                root:x:0:
                app:x:1000:
                nogroup:x:65534:
                """);
        return dir;
    }

    /**
     * A store under {@code dir} holding {@code busybox:latest}; the test is skipped unless it runs as
     * root (builds write root-owned layers and run containers over overlayfs; CI runs as root) with
     * a static /bin/busybox.
     */
    static Store storeWithBusybox(Path dir) throws IOException {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "builds write root-owned layers and run containers over overlayfs: they need root (CI runs as root)");
        assumeBusybox();
        Store store = Store.open(dir.resolve("store"));
        importInto(store, dir);
        return store;
    }

    /** Removes what a test made under {@code dir}, without JUnit's warnings about busybox symlinks that point outside. */
    static void deleteChildren(Path dir) throws IOException {
        try (var children = Files.list(dir)) {
            for (Path child : children.toList()) {
                DirectoryTrees.delete(child);
            }
        }
    }

    /** Imports a busybox image into {@code store} under {@code busybox:latest}; returns its manifest. */
    static Descriptor importInto(Store store, Path scratch) throws IOException {
        Path root = rootfs(Files.createDirectories(scratch.resolve("busybox-rootfs")));
        LayerBlob blob;
        try (BlobWriter writer = store.newBlob()) {
            blob = LayerWriter.writeDirectory(root, writer, LayerWriteOptions.DEFAULTS.withSourceDateEpoch(0));
            writer.commit(blob.mediaType());
        }
        Instant created = Instant.ofEpochSecond(0);
        ImageConfig config = new ImageConfig(created, "", "amd64", "linux", "", List.of(), "",
                ContainerConfig.EMPTY.toBuilder()
                        .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                        .cmd(List.of("sh")).build(),
                RootFs.of(List.of(blob.diffId())),
                List.of(new History(created, "busybox rootfs from the host's /bin/busybox", "", "", false)), Map.of())
                .withPlatform(Platform.current().normalized());
        Descriptor configBlob = store.writeBlob(MediaType.OCI_CONFIG, config.toJson());
        Manifest manifest = Manifest.of(false, configBlob, List.of(blob.descriptor()));
        Descriptor descriptor = store.writeBlob(MediaType.OCI_MANIFEST, manifest.toJson());
        store.tag("busybox:latest", descriptor);
        return descriptor;
    }
}
