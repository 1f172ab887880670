package dev.jbuild.oci;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image reference, {@code [registry[:port]/]repository[:tag][@digest]}, normalised as Docker
 * does: no registry means {@code docker.io}, a one-part Docker Hub name gets {@code library/},
 * and neither tag nor digest means tag {@code latest}.
 *
 * <p>{@code tag} is empty when the reference has only a digest; {@code digest} is null unless given.
 */
public record Reference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    /** The host that actually serves Docker Hub's registry API. */
    public static final String DOCKER_HUB_HOST = "registry-1.docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern REPOSITORY = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
    private static final int MAX_NAME_LENGTH = 255;

    public Reference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        tag = tag == null ? "" : tag;
        if (!DOMAIN.matcher(registry).matches()) {
            throw new IllegalArgumentException("invalid registry \"" + registry + "\"");
        }
        if (!REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("invalid repository name \"" + repository
                    + "\": must be lowercase path components of [a-z0-9] joined by '.', '_', '__' or '-'");
        }
        if (!tag.isEmpty() && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag \"" + tag + "\"");
        }
        if (tag.isEmpty() && digest == null) {
            tag = DEFAULT_TAG;
        }
        if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("repository name must not be longer than " + MAX_NAME_LENGTH
                    + " characters");
        }
    }

    /** Parses a reference as {@code docker pull} would. */
    public static Reference parse(String text) {
        Objects.requireNonNull(text, "reference");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("invalid reference: empty");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid reference \"" + text + "\": " + e.getMessage(), e);
            }
            rest = rest.substring(0, at);
        }
        String tag = "";
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (tag.isEmpty()) {
                throw new IllegalArgumentException("invalid reference \"" + text + "\": empty tag");
            }
        }
        String registry;
        String repository;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.toLowerCase(Locale.ROOT).equals(first))) {
            registry = first;
            repository = rest.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            repository = rest;
        }
        if (registry.equals("index.docker.io") || registry.equals(DOCKER_HUB_HOST)) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        if (!repository.toLowerCase(Locale.ROOT).equals(repository)) {
            throw new IllegalArgumentException("invalid reference \"" + text + "\": repository name must be lowercase");
        }
        try {
            return new Reference(registry, repository, tag, digest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid reference \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /** The host[:port] to contact for this registry (Docker Hub's API host for {@code docker.io}). */
    public String registryHost() {
        return registry.equals(DOCKER_HUB) ? DOCKER_HUB_HOST : registry;
    }

    /** The same repository at another tag (dropping any digest). */
    public Reference withTag(String newTag) {
        return new Reference(registry, repository, newTag, null);
    }

    /** The same repository pinned to a digest (keeping the tag for display). */
    public Reference withDigest(Digest newDigest) {
        return new Reference(registry, repository, tag, newDigest);
    }

    /** What to ask the registry for: the digest when there is one, else the tag. */
    public String identifier() {
        return digest != null ? digest.toString() : tag;
    }

    /** {@code registry/repository}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The name as Docker prints it: {@code busybox} rather than {@code docker.io/library/busybox}. */
    public String familiarName() {
        if (registry.equals(DOCKER_HUB)) {
            return repository.startsWith("library/") ? repository.substring("library/".length()) : repository;
        }
        return name();
    }

    /** The fully qualified reference, {@code registry/repository[:tag][@digest]}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name());
        if (!tag.isEmpty()) {
            text.append(':').append(tag);
        }
        if (digest != null) {
            text.append('@').append(digest);
        }
        return text.toString();
    }

    /** The short form Docker prints: {@code busybox:latest} rather than {@code docker.io/library/busybox:latest}. */
    public String familiar() {
        StringBuilder text = new StringBuilder(familiarName());
        if (!tag.isEmpty()) {
            text.append(':').append(tag);
        }
        if (digest != null) {
            text.append('@').append(digest);
        }
        return text.toString();
    }
}
