package dev.jbuild.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String EMPTY_SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String HELLO_SHA512 = "sha512:9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca7"
            + "2323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043";

    @Test
    void parsesAndPrintsSha256() {
        Digest digest = Digest.parse(EMPTY_SHA256);
        assertEquals("sha256", digest.algorithm());
        assertEquals(EMPTY_SHA256, digest.toString());
        assertEquals("blobs/sha256/" + digest.encoded(), digest.layoutPath());
        assertEquals("e3b0c44298fc", digest.shortHex());
    }

    @Test
    void computesSha256AndSha512() {
        assertEquals(EMPTY_SHA256, Digest.sha256(new byte[0]).toString());
        assertEquals(HELLO_SHA512, Digest.of("sha512", "hello".getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Test
    void rejectsMalformedDigests() {
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256"));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(":abc"));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:abc"));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(EMPTY_SHA256.toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e"));
        var error = assertThrows(IllegalArgumentException.class,
                () -> Digest.parse("sha512:" + "a".repeat(64)));
        assertTrue(error.getMessage().contains("128"), error.getMessage());
        assertFalse(Digest.isDigest("latest"));
        assertTrue(Digest.isDigest(EMPTY_SHA256));
    }

    @Test
    void digesterStreamsInputAndOutput() throws IOException {
        byte[] content = "some layer bytes".getBytes(StandardCharsets.UTF_8);
        Digester reading = Digester.sha256();
        try (InputStream in = reading.wrap(new ByteArrayInputStream(content))) {
            assertArrayEquals(content, in.readAllBytes());
        }
        Digester writing = Digester.sha256();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = writing.wrap(sink)) {
            out.write(content[0]);
            out.write(content, 1, content.length - 1);
        }
        assertEquals(content.length, reading.size());
        assertEquals(content.length, writing.size());
        Digest expected = Digest.sha256(content);
        assertEquals(expected, reading.digest());
        assertEquals(expected, writing.digest());
        assertArrayEquals(content, sink.toByteArray());
    }

    @Test
    void verifyingStreamAcceptsMatchingContent() throws IOException {
        byte[] content = new byte[100_000];
        new java.util.Random(1).nextBytes(content);
        try (var in = new VerifyingInputStream(new ByteArrayInputStream(content), Digest.sha256(content),
                content.length)) {
            assertArrayEquals(content, in.readAllBytes());
            assertEquals(content.length, in.bytesRead());
        }
    }

    @Test
    void verifyingStreamRejectsWrongDigestAtEnd() {
        byte[] content = "payload".getBytes(StandardCharsets.UTF_8);
        Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        var error = assertThrows(DigestMismatchException.class, () -> {
            try (var in = new VerifyingInputStream(new ByteArrayInputStream(content), wrong, content.length)) {
                in.readAllBytes();
            }
        });
        assertEquals(wrong, error.expected());
        assertEquals(Digest.sha256(content), error.actual());
    }

    @Test
    void verifyingStreamRejectsTruncatedAndOversizedContent() {
        byte[] content = "payload".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        var truncated = assertThrows(DigestMismatchException.class, () -> {
            try (var in = new VerifyingInputStream(new ByteArrayInputStream(content, 0, 3), digest, content.length)) {
                in.readAllBytes();
            }
        });
        assertTrue(truncated.getMessage().contains("size mismatch"), truncated.getMessage());
        assertThrows(DigestMismatchException.class, () -> {
            try (var in = new VerifyingInputStream(new ByteArrayInputStream(content), digest, 2)) {
                in.readAllBytes();
            }
        });
    }

    @Test
    void verifyingStreamKeepsFailingAfterMismatch() throws IOException {
        byte[] content = "payload".getBytes(StandardCharsets.UTF_8);
        var in = new VerifyingInputStream(new ByteArrayInputStream(content),
                Digest.sha256(new byte[0]), -1);
        in.read(new byte[64]);
        assertThrows(DigestMismatchException.class, () -> in.read(new byte[64]));
        assertThrows(DigestMismatchException.class, () -> in.read(new byte[64]));
    }

    @Test
    void ordersByAlgorithmThenHex() {
        Digest a = Digest.parse("sha256:" + "0".repeat(64));
        Digest b = Digest.parse("sha256:" + "1".repeat(64));
        assertTrue(a.compareTo(b) < 0);
    }

    @Test
    void aDigesterGivesTheSameDigestEveryTimeAndTakesNoBytesAfterwards() {
        Digester digester = Digester.sha256();
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        digester.update(hello, 0, hello.length);
        Digest first = digester.digest();
        assertEquals(Digest.sha256(hello), first);
        assertEquals(first, digester.digest());
        assertThrows(IllegalStateException.class, () -> digester.update(hello, 0, 1));
        assertEquals(hello.length, digester.size());
    }
}
