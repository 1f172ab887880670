package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IgnorePatternsTest {
    @Test
    void starMatchesWithinOneDirectoryOnly() {
        IgnorePatterns patterns = IgnorePatterns.parse("*.log\n");
        assertTrue(patterns.excludes("a.log"));
        assertFalse(patterns.excludes("dir/a.log"));
    }

    @Test
    void doubleStarCrossesDirectories() {
        IgnorePatterns patterns = IgnorePatterns.parse("**/*.log\n");
        assertTrue(patterns.excludes("a.log"));
        assertTrue(patterns.excludes("x/y/a.log"));
        assertFalse(patterns.excludes("x/y/a.txt"));
    }

    @Test
    void matchingDirectoryExcludesEverythingBelow() {
        IgnorePatterns patterns = IgnorePatterns.parse("node_modules\n");
        assertTrue(patterns.excludes("node_modules"));
        assertTrue(patterns.excludes("node_modules/x/index.js"));
        assertFalse(patterns.excludes("src/node_modules_notes.txt"));
    }

    @Test
    void laterBangReincludes() {
        IgnorePatterns patterns = IgnorePatterns.parse("*.md\n!README.md\n");
        assertTrue(patterns.excludes("CHANGES.md"));
        assertFalse(patterns.excludes("README.md"));
        assertTrue(patterns.hasExclusions());
    }

    @Test
    void laterExcludeWinsOverEarlierBang() {
        IgnorePatterns patterns = IgnorePatterns.parse("!keep.txt\n*.txt\n");
        assertTrue(patterns.excludes("keep.txt"));
    }

    @Test
    void commentsBlankLinesLeadingSlashAndDotSegmentsAreHandledLikeGo() {
        IgnorePatterns patterns = IgnorePatterns.parse("# a comment\n\n  /build/./out/  \n");
        assertTrue(patterns.excludes("build/out/app.jar"));
        assertFalse(patterns.excludes("# a comment"));
        assertFalse(patterns.excludes("build/other"));
    }

    @Test
    void questionMarkAndClassesMatchOneCharacter() {
        IgnorePatterns patterns = IgnorePatterns.parse("file?.[ab]\n");
        assertTrue(patterns.excludes("file1.a"));
        assertTrue(patterns.excludes("file2.b"));
        assertFalse(patterns.excludes("file12.a"));
        assertFalse(patterns.excludes("file1.c"));
    }

    @Test
    void regexCharactersAreLiteral() {
        IgnorePatterns patterns = IgnorePatterns.parse("a+b(1).txt\n");
        assertTrue(patterns.excludes("a+b(1).txt"));
        assertFalse(patterns.excludes("aab1.txt"));
    }

    @Test
    void emptyPatternsExcludeNothing() {
        assertFalse(IgnorePatterns.NONE.excludes("anything"));
        assertTrue(IgnorePatterns.parse("\n# only a comment\n").isEmpty());
    }
}
