package dev.jbuild.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A content digest such as {@code sha256:e3b0…}: the identity of every blob, manifest and config.
 *
 * <p>Only the algorithms the image-spec registers are accepted (sha256 and sha512), so a digest
 * that parses can always be verified.
 */
public record Digest(String algorithm, String encoded) implements Comparable<Digest> {
    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(encoded, "encoded");
        int expectedLength = switch (algorithm) {
            case SHA256 -> 64;
            case SHA512 -> 128;
            default -> throw new IllegalArgumentException(
                    "unsupported digest algorithm \"" + algorithm + "\" (expected sha256 or sha512)");
        };
        if (encoded.length() != expectedLength || !isLowerHex(encoded)) {
            throw new IllegalArgumentException("invalid " + algorithm + " digest \"" + algorithm + ":" + encoded
                    + "\": expected " + expectedLength + " lowercase hex characters");
        }
    }

    private static boolean isLowerHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Parses {@code algorithm:encoded}. */
    public static Digest parse(String text) {
        Objects.requireNonNull(text, "digest");
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid digest \"" + text + "\": expected algorithm:hex");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** True when {@code text} is a well-formed digest of a supported algorithm. */
    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The sha256 digest of {@code bytes}. */
    public static Digest sha256(byte[] bytes) {
        return of(SHA256, bytes);
    }

    /** The sha256 digest of the content of the file {@code file}, read in one pass. */
    public static Digest sha256(Path file) throws IOException {
        Digester digester = Digester.sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digester.update(buffer, 0, n);
            }
        }
        return digester.digest();
    }

    /** The digest of {@code bytes} with {@code algorithm}. */
    public static Digest of(String algorithm, byte[] bytes) {
        Digester digester = Digester.of(algorithm);
        digester.update(bytes, 0, bytes.length);
        return digester.digest();
    }

    /** A fresh digester for this digest's algorithm, to verify content against it. */
    public Digester newDigester() {
        return Digester.of(algorithm);
    }

    /** The path of this blob inside an OCI image layout, {@code blobs/<alg>/<hex>}. */
    public String layoutPath() {
        return "blobs/" + algorithm + "/" + encoded;
    }

    /** The first 12 hex characters, as image IDs are shown. */
    public String shortHex() {
        return encoded.substring(0, 12);
    }

    static Digest fromBytes(String algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    @Override
    public int compareTo(Digest other) {
        int byAlgorithm = algorithm.compareTo(other.algorithm);
        return byAlgorithm != 0 ? byAlgorithm : encoded.compareTo(other.encoded);
    }

    @Override
    public String toString() {
        return algorithm + ":" + encoded;
    }
}
