package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class GitSourcesTest {
    @Test
    void gitUrlsAreToldApartFromFilesAndPlainUrls() {
        assertTrue(GitSources.isGit("https://github.com/moby/buildkit.git"));
        assertTrue(GitSources.isGit("https://github.com/moby/buildkit.git#v0.10.1:docs"));
        assertTrue(GitSources.isGit("git@github.com:moby/buildkit.git#main"));
        assertTrue(GitSources.isGit("git://127.0.0.1:9418/repo.git"));
        assertTrue(GitSources.isGit("ssh://git@example.com/repo"));
        assertFalse(GitSources.isGit("https://example.com/file.tar.gz"));
        assertFalse(GitSources.isGit("https://example.com/repo.git/archive.tgz"));
        assertFalse(GitSources.isGit("context/dir.git"), "a context path that ends in .git is a local source");
    }

    @Test
    void theFragmentNamesTheRefAndTheSubdirectory() {
        GitSources.Source both = GitSources.parse("https://host/repo.git#v1.2:docs/guide");
        assertEquals("https://host/repo.git", both.remote());
        assertEquals(Optional.of("v1.2"), both.ref());
        assertEquals("docs/guide", both.subdir());

        GitSources.Source scp = GitSources.parse("git@host:team/repo.git#main");
        assertEquals("git@host:team/repo.git", scp.remote(), "the scp-like address keeps its colon");
        assertEquals(Optional.of("main"), scp.ref());
        assertEquals("", scp.subdir());

        GitSources.Source subdirOnly = GitSources.parse("git://host/repo.git#:/src/");
        assertEquals(Optional.empty(), subdirOnly.ref());
        assertEquals("HEAD", subdirOnly.refText());
        assertEquals("src", subdirOnly.subdir());

        GitSources.Source plain = GitSources.parse("git://host/repo.git");
        assertEquals("git://host/repo.git", plain.remote());
        assertEquals(Optional.empty(), plain.ref());
    }
}
