package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.FileDigests;
import dev.jbuild.store.FileOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyStagingTest {
    @TempDir
    Path temp;

    @Test
    void sourcesSharingAnInodeAreStagedAsHardLinksToTheFirstPath() throws IOException {
        Path sources = Files.createDirectories(temp.resolve("sources"));
        Files.writeString(sources.resolve("one"), "same\n");
        Files.createLink(sources.resolve("two"), sources.resolve("one"));
        Files.writeString(sources.resolve("copy"), "same\n");
        List<CopyEntry> entries = List.of(file("a/one", sources.resolve("one")), file("b/two", sources.resolve("two")),
                file("c/copy", sources.resolve("copy")));

        assertEquals(Map.of("b/two", "a/one"), CopyStaging.hardlinks(entries));
        Path staged = Files.createDirectories(temp.resolve("staged"));
        Map<String, FileOwner> owners = CopyStaging.write(entries, staged, FileTime.fromMillis(0));
        assertTrue(Files.isSameFile(staged.resolve("a/one"), staged.resolve("b/two")));
        assertEquals(1, (Integer) Files.getAttribute(staged.resolve("c/copy"), "unix:nlink"));
        assertEquals(new FileOwner(0, 0), owners.get("b/two"));
    }

    @Test
    void theContentDigestTellsALinkFromACopyOfTheSameBytes() throws IOException {
        Path sources = Files.createDirectories(temp.resolve("sources"));
        Files.writeString(sources.resolve("one"), "same\n");
        Files.createLink(sources.resolve("linked"), sources.resolve("one"));
        Files.writeString(sources.resolve("copied"), "same\n");
        assertNotEquals(
                CopyStaging.contentDigest(List.of(file("x/one", sources.resolve("one")), file("x/two", sources.resolve("linked"))), FileDigests.none()),
                CopyStaging.contentDigest(List.of(file("x/one", sources.resolve("one")), file("x/two", sources.resolve("copied"))), FileDigests.none()));
    }

    private static CopyEntry file(String path, Path source) {
        return new CopyEntry(path, CopyEntry.Kind.FILE, Optional.of(source), null, null, 0644, 0, 0);
    }
}
