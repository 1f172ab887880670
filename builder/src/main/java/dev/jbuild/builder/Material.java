package dev.jbuild.builder;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Something a build fetched from outside its context, with the digest of what it got: a base
 * image, a downloaded file, a git commit. Provenance attestations list them as resolved dependencies.
 *
 * @param uri       the image as a package URL ({@code pkg:docker/alpine@3.20?platform=linux%2Famd64}), or the URL
 * @param algorithm the digest's algorithm: {@code sha256}, or {@code sha1} for a git commit
 * @param digest    the digest's hexadecimal value
 */
public record Material(String uri, String algorithm, String digest) {
    public Material {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(digest, "digest");
    }

    /** An image by the reference the Dockerfile names, resolved to {@code resolved} (an index or a manifest). */
    public static Material image(Reference reference, Platform platform, Digest resolved) {
        return new Material(packageUrl(reference, platform), resolved.algorithm(), resolved.encoded());
    }

    /**
     * The package URL of an image as BuildKit writes it: {@code pkg:docker/NAME@VERSION?platform=…}
     * with Docker's short name, and the digest as the version when the reference has one.
     */
    public static String packageUrl(Reference reference, Platform platform) {
        String version = reference.digest() != null ? reference.digest().toString() : reference.tag();
        return "pkg:docker/" + reference.familiarName() + (version.isEmpty() ? "" : "@" + encode(version))
                + "?platform=" + encode(platform.format());
    }

    /** A file downloaded from {@code url} whose content has the digest {@code content}. */
    public static Material download(String url, Digest content) {
        return new Material(url, content.algorithm(), content.encoded());
    }

    /** A git repository checked out at {@code commit}. */
    public static Material gitCommit(String remote, String commit) {
        return new Material(remote, commit.length() == 64 ? "sha256" : "sha1", commit);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
