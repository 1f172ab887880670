package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Manifest lists kept in the store, as the {@code jbuild manifest} commands edit them: an index
 * tagged under the list's name, rewritten (and retagged) on every change. Images added to a list
 * are taken from the store, or copied into it from their registry, so a push needs nothing else.
 */
final class ManifestLists {
    private final Store store;

    ManifestLists(Store store) {
        this.store = store;
    }

    /** The list tagged {@code name}, failing clearly when there is none or the name holds a single image. */
    Index load(String name) throws IOException {
        Descriptor descriptor = store.resolve(name);
        if (!MediaType.isIndex(descriptor.mediaType())) {
            throw new UsageException(name + " is an image, not a manifest list (it has media type "
                    + descriptor.mediaType() + "); make one with jbuild manifest create");
        }
        return parse(descriptor);
    }

    /** Whether the store has anything tagged {@code name}. */
    boolean exists(String name) throws IOException {
        return find(name).isPresent();
    }

    private Optional<Descriptor> find(String name) throws IOException {
        try {
            return Optional.of(store.resolve(name));
        } catch (StoreException notThere) {
            return Optional.empty();
        }
    }

    /** Writes the list and points {@code name} at it; returns its descriptor. */
    Descriptor save(String name, Index list) throws IOException {
        Descriptor descriptor = store.writeBlob(list.mediaType(), list.toJson());
        store.tag(name, descriptor);
        return descriptor;
    }

    /**
     * The manifests {@code image} contributes to a list, each with its full platform: the image itself, or
     * from an index the one for {@code platform} (every one when {@code platform} is null). The store is
     * looked at first; otherwise the image is copied into it from its registry.
     */
    List<Descriptor> entriesOf(String image, Platform platform, Registry registry, int jobs) throws IOException {
        Descriptor root = find(image).orElse(null);
        if (root == null) {
            Reference reference = Pull.parseReference(image);
            root = new ContentCopy(registry.pullRepository(reference), store, platform, jobs, ContentCopy.Listener.NONE)
                    .copy(reference.identifier(), "").root();
        }
        List<Descriptor> entries = new ArrayList<>();
        collect(root, platform, image, entries, 0);
        if (entries.isEmpty()) {
            throw new UsageException(image + " has no image for platform " + platform.format());
        }
        return List.copyOf(entries);
    }

    private void collect(Descriptor descriptor, Platform platform, String image, List<Descriptor> entries, int depth)
            throws IOException {
        if (MediaType.isManifest(descriptor.mediaType())) {
            Platform own = descriptor.platform() != null ? descriptor.platform() : platformOf(descriptor, image);
            // a single image is taken whatever its platform; the platform only picks among an index's entries
            if (depth == 0 || platform == null || own.matches(platform)) {
                entries.add(new Descriptor(descriptor.mediaType(), descriptor.digest(), descriptor.size(),
                        descriptor.urls(), descriptor.annotations(), own, descriptor.artifactType(), Map.of()));
            }
            return;
        }
        if (!MediaType.isIndex(descriptor.mediaType()) || depth > 8) {
            throw new UsageException(image + " is neither an image nor an index (media type "
                    + descriptor.mediaType() + ")");
        }
        for (Descriptor child : parse(descriptor).manifests()) {
            if (MediaType.isManifest(child.mediaType()) && child.platform() != null && platform != null
                    && !child.platform().matches(platform)) {
                continue;
            }
            if (MediaType.isManifest(child.mediaType()) || MediaType.isIndex(child.mediaType())) {
                if (!store.hasBlob(child.digest())) {
                    throw new UsageException(image + " is an index whose " + describe(child) + " is not in the store; "
                            + "pull it with --all-platforms (or add it by its registry name)");
                }
                collect(child, platform, image, entries, depth + 1);
                if (platform != null && !entries.isEmpty()) {
                    return;
                }
            }
        }
    }

    private Platform platformOf(Descriptor manifest, String image) throws IOException {
        Image read = store.image(manifest.digest().toString());
        ImageConfig config = read.config();
        if (config.os().isEmpty() || config.architecture().isEmpty()) {
            throw new UsageException(image + " has no os/architecture in its config; add it and then set them with "
                    + "jbuild manifest annotate --os --arch");
        }
        return config.platform();
    }

    private Index parse(Descriptor descriptor) throws IOException {
        try {
            return Index.parse(store.readAll(descriptor));
        } catch (IllegalArgumentException e) {
            throw new StoreException("index " + descriptor.digest() + " in the store is invalid: " + e.getMessage());
        }
    }

    /** The list with {@code entries} added; an entry already there (same digest) is replaced in place. */
    static Index with(Index list, List<Descriptor> entries) {
        Map<Digest, Descriptor> merged = new LinkedHashMap<>();
        list.manifests().forEach(d -> merged.put(d.digest(), d));
        entries.forEach(d -> merged.put(d.digest(), d));
        return list.withManifests(List.copyOf(merged.values()));
    }

    /** The entry of {@code list} that {@code image} names: a digest, or what the digest entries resolve to. */
    static Descriptor entry(Index list, String listName, List<Digest> candidates, String image) {
        return list.manifests().stream()
                .filter(d -> candidates.contains(d.digest()))
                .findFirst()
                .orElseThrow(() -> new UsageException(image + " is not in the manifest list " + listName
                        + " (it has: " + (list.manifests().isEmpty() ? "nothing" : list.manifests().stream()
                                .map(ManifestLists::describe).collect(Collectors.joining(", "))) + ")"));
    }

    /** The digests {@code image} can mean inside a list: itself when it is a digest, else what it resolves to. */
    List<Digest> digestsOf(String image, Platform platform, Registry registry, int jobs) throws IOException {
        if (Digest.isDigest(image)) {
            return List.of(Digest.parse(image));
        }
        return entriesOf(image, platform, registry, jobs).stream().map(Descriptor::digest).toList();
    }

    static String describe(Descriptor entry) {
        return entry.digest() + (entry.platform() == null ? "" : " (" + entry.platform().format() + ")");
    }
}
