package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.internal.UserDatabase.Owner;
import dev.jbuild.store.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyPlannerTest {
    @TempDir
    Path context;

    @TempDir
    Path imageLayer;

    private final FileTree noImage = new LayeredTree(List.of());

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(context.resolve("src/sub"));
        Files.writeString(context.resolve("src/a.txt"), "a");
        Files.writeString(context.resolve("src/sub/b.txt"), "b");
        Files.writeString(context.resolve("one.md"), "1");
        Files.writeString(context.resolve("two.md"), "2");
        Files.writeString(context.resolve("skip.log"), "log");
    }

    private List<String> paths(List<CopyEntry> entries) {
        return entries.stream().map(e -> e.path() + (e.kind() == CopyEntry.Kind.DIRECTORY ? "/" : "")).toList();
    }

    private List<CopyEntry> plan(FileTree image, String destination, String... sources) throws Exception {
        return CopyPlanner.plan(new ContextTree(context, IgnorePatterns.parse("*.log")), image,
                new CopyPlanner.Request(List.of(sources), destination, "/work", Optional.empty(), OptionalInt.empty(),
                        IgnorePatterns.NONE, false));
    }

    @Test
    void directorySourceCopiesItsContentsAndCreatesParents() throws Exception {
        assertEquals(List.of("opt/", "opt/app/", "opt/app/a.txt", "opt/app/sub/", "opt/app/sub/b.txt"),
                paths(plan(noImage, "/opt/app", "src")));
    }

    @Test
    void fileToPathWithoutSlashIsRenamedWithSlashKeepsItsName() throws Exception {
        assertEquals(List.of("etc/", "etc/renamed"), paths(plan(noImage, "/etc/renamed", "one.md")));
        assertEquals(List.of("etc/", "etc/one.md"), paths(plan(noImage, "/etc/", "one.md")));
    }

    @Test
    void relativeDestinationIsUnderTheWorkingDirectory() throws Exception {
        assertEquals(List.of("work/", "work/x/", "work/x/one.md"), paths(plan(noImage, "x/", "one.md")));
    }

    @Test
    void existingDirectoryReceivesByNameEvenWithoutSlash() throws Exception {
        Files.createDirectories(imageLayer.resolve("data"));
        assertEquals(List.of("data/", "data/one.md"), paths(plan(new LayeredTree(List.of(imageLayer)), "/data", "one.md")));
    }

    @Test
    void globsMatchAndSeveralSourcesNeedADirectory() throws Exception {
        assertEquals(List.of("docs/", "docs/one.md", "docs/two.md"), paths(plan(noImage, "/docs/", "*.md")));
        var error = assertThrows(CopyPlanner.CopyException.class, () -> plan(noImage, "/docs", "*.md"));
        assertTrue(error.getMessage().contains("must be a directory and end with a /"), error.getMessage());
        assertEquals(List.of(), plan(noImage, "/docs/", "*.none"), "a glob may match nothing");
    }

    @Test
    void missingAndIgnoredSourcesAreNotFound() {
        var missing = assertThrows(CopyPlanner.CopyException.class, () -> plan(noImage, "/x", "nope.txt"));
        assertEquals("\"/nope.txt\": not found", missing.getMessage());
        assertThrows(CopyPlanner.CopyException.class, () -> plan(noImage, "/x", "skip.log"));
    }

    @Test
    void sourcesCannotClimbOutOfTheContext() throws Exception {
        assertEquals(List.of("x"), paths(plan(noImage, "/x", "../../one.md")));
    }

    @Test
    void contextFilesBecomeRootsOrTheChownOwnerAndChmodAppliesToAll() throws Exception {
        List<CopyEntry> entries = CopyPlanner.plan(new ContextTree(context, IgnorePatterns.NONE), noImage,
                new CopyPlanner.Request(List.of("src"), "/app/", "/", Optional.of(new Owner(7, 8)), OptionalInt.of(0640),
                        IgnorePatterns.NONE, false));
        for (CopyEntry entry : entries) {
            assertEquals(7, entry.uid(), entry.path());
            assertEquals(8, entry.gid(), entry.path());
        }
        assertEquals(0640, entries.stream().filter(e -> e.path().equals("app/a.txt")).findFirst().orElseThrow().mode());
    }

    @Test
    void excludesAndParentsShapeWhatIsCopied() throws Exception {
        List<CopyEntry> entries = CopyPlanner.plan(new ContextTree(context, IgnorePatterns.NONE), noImage,
                new CopyPlanner.Request(List.of("src/sub/b.txt", "one.md"), "/p/", "/", Optional.empty(),
                        OptionalInt.empty(), IgnorePatterns.parse("one.md"), true));
        assertEquals(List.of("p/", "p/src/", "p/src/sub/", "p/src/sub/b.txt"), paths(entries));
    }

    @Test
    void contentDigestIgnoresMtimesButNotBytesOrModes() throws Exception {
        var before = CopyStaging.contentDigest(plan(noImage, "/x/", "src"), FileDigests.none());
        Files.setLastModifiedTime(context.resolve("src/a.txt"), FileTime.fromMillis(0));
        assertEquals(before, CopyStaging.contentDigest(plan(noImage, "/x/", "src"), FileDigests.none()));
        Files.writeString(context.resolve("src/a.txt"), "A");
        var changed = CopyStaging.contentDigest(plan(noImage, "/x/", "src"), FileDigests.none());
        assertNotEquals(before, changed);
        Files.setAttribute(context.resolve("src/a.txt"), "unix:mode", 0600);
        assertNotEquals(changed, CopyStaging.contentDigest(plan(noImage, "/x/", "src"), FileDigests.none()));
    }
}
