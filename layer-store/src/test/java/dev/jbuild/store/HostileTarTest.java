package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.internal.fs.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every archive of {@code testdata/hostile-tars/} is refused naming its entry, or applied without leaving the root. */
class HostileTarTest {
    @TempDir
    Path temp;

    /** Removes the test's tree, whose symlinks point outside it, without JUnit's warning about each. */
    @AfterEach
    void removeTree() throws IOException {
        try (var children = Files.list(temp)) {
            for (Path child : children.toList()) {
                DirectoryTrees.delete(child);
            }
        }
    }

    static List<HostileTars.Case> cases() {
        return HostileTars.cases();
    }

    private static Path corpus() {
        return Path.of(System.getProperty("jbuild.testdata", "../testdata"), "hostile-tars");
    }

    @Test
    void corpusHasAtLeastThirtyCasesAndMatchesTheGenerator() throws IOException {
        List<HostileTars.Case> cases = cases();
        assertTrue(cases.size() >= 30, "only " + cases.size() + " cases");
        for (HostileTars.Case c : cases) {
            Path file = corpus().resolve(c.file());
            assertTrue(Files.isRegularFile(file), file + " is missing: run HostileTars.main to regenerate");
            assertArrayEquals(c.builder().build(), Files.readAllBytes(file),
                    file + " differs from its generator: run HostileTars.main to regenerate");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseIsRefusedOrAppliedInsideTheRoot(HostileTars.Case c) throws IOException {
        Path root = Files.createDirectories(temp.resolve("root"));
        Path sentinel = createSentinel(temp.resolve(HostileTars.SENTINEL));
        Map<String, String> before = TreeSnapshot.of(sentinel, true);
        long sentinelMtime = Files.getLastModifiedTime(sentinel).toMillis();

        try (InputStream in = Files.newInputStream(corpus().resolve(c.file()))) {
            if (c.outcome() == HostileTars.Outcome.REJECTED) {
                LayerRejectedException e = assertThrows(LayerRejectedException.class,
                        () -> LayerApplier.apply(in, root, ApplyMode.FLATTEN, c.options()));
                assertEquals(c.entry(), e.entry(), e.getMessage());
                assertTrue(e.getMessage().contains(c.entry()), e.getMessage());
            } else {
                ApplyResult result = LayerApplier.apply(in, root, ApplyMode.FLATTEN, c.options());
                c.check().verify(root, result);
            }
        }

        assertEquals(before, TreeSnapshot.of(sentinel, true), "the sentinel beside the root changed");
        assertEquals(sentinelMtime, Files.getLastModifiedTime(sentinel).toMillis(), "sentinel directory touched");
        try (Stream<Path> top = Files.list(temp)) {
            assertEquals(List.of("root", HostileTars.SENTINEL),
                    top.map(p -> p.getFileName().toString()).sorted().toList(), "something appeared beside the root");
        }
    }

    @ParameterizedTest(name = "{0} as overlay lower")
    @MethodSource("cases")
    void caseIsAlsoSafeWhenUnpackedAsOverlayLower(HostileTars.Case c) throws IOException {
        Path root = Files.createDirectories(temp.resolve("root"));
        Path sentinel = createSentinel(temp.resolve(HostileTars.SENTINEL));
        Map<String, String> before = TreeSnapshot.of(sentinel, true);
        try (InputStream in = Files.newInputStream(corpus().resolve(c.file()))) {
            LayerApplier.apply(in, root, ApplyMode.OVERLAY_LOWER, c.options());
        } catch (LayerRejectedException e) {
            assertEquals(HostileTars.Outcome.REJECTED, c.outcome(), e.getMessage());
        }
        assertEquals(before, TreeSnapshot.of(sentinel, true), "the sentinel beside the root changed");
    }

    private static Path createSentinel(Path sentinel) throws IOException {
        Files.createDirectories(sentinel.resolve("sub"));
        Files.writeString(sentinel.resolve("file.txt"), "do not touch");
        Files.writeString(sentinel.resolve("sub/inner.txt"), "inner");
        Files.createSymbolicLink(sentinel.resolve("link"), Path.of("file.txt"));
        Posix.lutimes(sentinel.resolve("file.txt"), 1_234_567_890L, 0);
        Posix.lutimes(sentinel.resolve("sub/inner.txt"), 1_234_567_891L, 0);
        Posix.lutimes(sentinel.resolve("sub"), 1_234_567_892L, 0);
        Posix.lutimes(sentinel, 1_234_567_893L, 0);
        return sentinel;
    }
}
