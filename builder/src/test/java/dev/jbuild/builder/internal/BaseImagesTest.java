package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.store.RootfsImport;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseImagesTest {
    @TempDir
    Path tmp;

    @Test
    void aStoredImageOfAnotherPlatformIsNotUsedAsTheBase() throws IOException {
        Store store = Store.open(tmp.resolve("store"));
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("os-release"), "ID=test\n");
        // a registry on loopback port 1 refuses at once, so "pull it" fails without any network
        Reference base = Reference.parse("localhost:1/base:1");
        RootfsImport.importRootfs(store, rootfs.getParent(), base, Platform.parse("linux/amd64"));
        List<BuildEvent> events = new ArrayList<>();
        BaseImages bases = new BaseImages(store, RegistryOptions.defaults(), false, events::add, Map.of());

        assertEquals("amd64", bases.resolve(base.toString(), Platform.parse("linux/amd64")).config().architecture());
        assertThrows(IOException.class, () -> bases.resolve(base.toString(), Platform.parse("linux/arm64")));
        assertTrue(events.stream().anyMatch(e -> e.toString().contains("pulling")), events.toString());
    }
}
