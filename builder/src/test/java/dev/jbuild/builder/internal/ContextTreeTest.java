package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.DirectoryTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextTreeTest {
    @TempDir
    Path context;

    /** Removes the test's tree, whose symlinks point outside it, without JUnit's warning about each. */
    @AfterEach
    void removeTree() throws IOException {
        try (var children = Files.list(context)) {
            for (Path child : children.toList()) {
                DirectoryTrees.delete(child);
            }
        }
    }

    @Test
    void dockerfileSpecificIgnoreFileWinsOverTheContextOne() throws IOException {
        Files.writeString(context.resolve(".dockerignore"), "a.txt\n");
        Files.writeString(context.resolve("build.Dockerfile.dockerignore"), "b.txt\n");
        IgnorePatterns general = ContextTree.ignoreFor(context, Optional.of(context.resolve("Dockerfile")));
        IgnorePatterns specific = ContextTree.ignoreFor(context, Optional.of(context.resolve("build.Dockerfile")));
        assertTrue(general.excludes("a.txt"));
        assertFalse(general.excludes("b.txt"));
        assertTrue(specific.excludes("b.txt"));
        assertFalse(specific.excludes("a.txt"));
        assertTrue(ContextTree.ignoreFor(context.resolve("missing"), Optional.empty()).isEmpty());
    }

    @Test
    void ignoredPathsDoNotExistButReincludedOnesUnderIgnoredDirectoriesDo() throws IOException {
        Files.createDirectories(context.resolve("logs/keep"));
        Files.writeString(context.resolve("logs/a.log"), "a");
        Files.writeString(context.resolve("logs/keep/b.log"), "b");
        Files.writeString(context.resolve("app.txt"), "app");
        ContextTree tree = new ContextTree(context, IgnorePatterns.parse("logs\n!logs/keep\n"));
        assertTrue(tree.find("logs/a.log").isEmpty());
        assertTrue(tree.find("logs/keep/b.log").isPresent());
        assertEquals(List.of("keep"), tree.list("logs"));
        assertEquals(List.of("app.txt", "logs"), tree.list(""));
    }

    @Test
    void pathsThroughSymlinkedDirectoriesAreNotFollowed() throws IOException {
        Path outside = Files.createDirectories(context.resolveSibling(context.getFileName() + "-outside"));
        Files.writeString(outside.resolve("secret"), "x");
        Files.createSymbolicLink(context.resolve("link"), outside);
        ContextTree tree = new ContextTree(context, IgnorePatterns.NONE);
        assertTrue(tree.find("link/secret").isEmpty());
        assertTrue(tree.find("link").isPresent());
    }
}
