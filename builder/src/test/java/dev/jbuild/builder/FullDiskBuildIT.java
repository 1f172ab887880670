package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Reference;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import dev.jbuild.store.testing.SmallFilesystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A build whose store fills up (a 2 MiB tmpfs): it fails with the system's reason and leaves the store usable. */
class FullDiskBuildIT {
    @TempDir
    Path dir;

    @RegisterExtension
    final SmallFilesystem small = new SmallFilesystem("2m");

    @Test
    void aCopyThatDoesNotFitFailsAndTheStoreStaysClean() throws Exception {
        Path context = Files.createDirectories(dir.resolve("context"));
        byte[] big = new byte[3 << 20];
        new Random(11).nextBytes(big);
        Files.write(context.resolve("big.bin"), big);
        Files.writeString(context.resolve("small.txt"), "fits\n");
        Store store = Store.open(small.root().resolve("store"));

        BuildException failed = assertThrows(BuildException.class,
                () -> build(store, context, "FROM scratch\nCOPY big.bin /\n", "big:1"));

        assertTrue(failed.getMessage().startsWith("line 2: COPY big.bin /: ")
                && failed.getMessage().endsWith("No space left on device"), failed.getMessage());
        assertTrue(store.tags().isEmpty());
        assertTrue(store.fsck().clean());
        try (Stream<Path> scratch = Files.list(small.root().resolve("store/builds"))) {
            assertEquals(0, scratch.count(), "the failed build's scratch directory is gone, so the space comes back");
        }
        build(store, context, "FROM scratch\nCOPY small.txt /\n", "small:1");
        assertTrue(store.tags().containsKey(Reference.parse("small:1")));
    }

    private static void build(Store store, Path context, String dockerfile, String tag) throws BuildException, IOException {
        Builder.create(store).build(BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.Text(dockerfile)).tag(tag).build());
    }
}
