package dev.jbuild.dockerfile.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which FROM values count as image references for InvalidDefaultArgInFrom. */
class ImageReferencesTest {
    @ParameterizedTest
    @ValueSource(strings = {"busybox", "busybox:1.36", "library/alpine:3.20", "docker.io/library/alpine",
        "localhost:5000/a/b:tag", "Registry.Example.com/team/app_x__y--z.w:v1",
        "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "[::1]:5000/app", "scratch", "build_amd64"})
    void acceptsWhatTheRegistryGrammarAccepts(String reference) {
        assertTrue(ImageReferences.isValid(reference), reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "busybox:", ":latest", "Busybox", "team/App", "a//b", "alpine@sha256:abc", "a:b:c",
        "linux/amd64:x/y", "-alpine", "alpine:-x"})
    void rejectsEmptyAndMalformedNames(String reference) {
        assertFalse(ImageReferences.isValid(reference), reference);
    }

    @Test
    void limitsNameAndTagLengths() {
        assertTrue(ImageReferences.isValid("a".repeat(255) + ":" + "t".repeat(128)));
        assertFalse(ImageReferences.isValid("a".repeat(256)));
        assertFalse(ImageReferences.isValid("app:" + "t".repeat(129)));
    }
}
