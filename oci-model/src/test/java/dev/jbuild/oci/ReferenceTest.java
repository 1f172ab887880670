package dev.jbuild.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
    private static final String DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            busybox                              | docker.io        | library/busybox      | latest | registry-1.docker.io
            busybox:1.36                         | docker.io        | library/busybox      | 1.36   | registry-1.docker.io
            library/busybox                      | docker.io        | library/busybox      | latest | registry-1.docker.io
            docker.io/busybox                    | docker.io        | library/busybox      | latest | registry-1.docker.io
            index.docker.io/library/busybox:1    | docker.io        | library/busybox      | 1      | registry-1.docker.io
            user/app:v1                          | docker.io        | user/app             | v1     | registry-1.docker.io
            localhost/app                        | localhost        | app                  | latest | localhost
            localhost:5000/team/app:1.0          | localhost:5000   | team/app             | 1.0    | localhost:5000
            127.0.0.1:5000/app:x                 | 127.0.0.1:5000   | app                  | x      | 127.0.0.1:5000
            ghcr.io/org/sub/app:2026.11          | ghcr.io          | org/sub/app          | 2026.11| ghcr.io
            registry.example.com/a__b/c-d/e.f:g  | registry.example.com | a__b/c-d/e.f     | g      | registry.example.com
            [::1]:5000/app:1                     | [::1]:5000       | app                  | 1      | [::1]:5000
            Registry/app                         | Registry         | app                  | latest | Registry
            """)
    void normalisesLikeDocker(String text, String registry, String repository, String tag, String host) {
        Reference reference = Reference.parse(text);
        assertEquals(registry, reference.registry());
        assertEquals(repository, reference.repository());
        assertEquals(tag, reference.tag());
        assertEquals(host, reference.registryHost());
        assertNull(reference.digest());
    }

    @org.junit.jupiter.api.Test
    void keepsDigestAndOptionalTag() {
        Reference byDigest = Reference.parse("busybox@" + DIGEST);
        assertEquals("", byDigest.tag());
        assertEquals(DIGEST, byDigest.digest().toString());
        assertEquals(DIGEST, byDigest.identifier());
        assertEquals("docker.io/library/busybox@" + DIGEST, byDigest.toString());
        assertEquals("busybox@" + DIGEST, byDigest.familiar());

        Reference both = Reference.parse("localhost:5000/app:1.0@" + DIGEST);
        assertEquals("1.0", both.tag());
        assertEquals(DIGEST, both.identifier());
        assertEquals("localhost:5000/app:1.0@" + DIGEST, both.toString());
    }

    @org.junit.jupiter.api.Test
    void printsFullAndFamiliarForms() {
        Reference reference = Reference.parse("busybox");
        assertEquals("docker.io/library/busybox:latest", reference.toString());
        assertEquals("busybox:latest", reference.familiar());
        assertEquals("user/app:latest", Reference.parse("user/app").familiar());
        assertEquals("localhost:5000/app:2", Reference.parse("localhost:5000/app").withTag("2").familiar());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "UPPER", "app:", "app@sha256:abc", "app:tag@", "-app", "app/", "a//b",
            "localhost:5000/App", "app:-tag", "app:" + "t123456789012345678901234567890123456789012345678901234567890"
                    + "1234567890123456789012345678901234567890123456789012345678901234567890"})
    void rejectsInvalidReferences(String text) {
        assertThrows(IllegalArgumentException.class, () -> Reference.parse(text));
    }
}
