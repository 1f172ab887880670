package dev.jbuild.store.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Marks everything reachable from a set of roots through indexes, manifests, configs and layers,
 * the way garbage collection and fsck both need it: which blobs are live, which layer ChainIDs
 * are live, which referenced blobs are missing, and which documents could not be read.
 */
public final class Reachability {
    private final BlobStore blobs;
    private final Set<Digest> blobsReached = new HashSet<>();
    private final Set<Digest> chainIds = new HashSet<>();
    private final Map<Digest, Long> expectedSizes = new HashMap<>();
    private final Map<Digest, String> missing = new LinkedHashMap<>();
    private final Map<Digest, String> unreadable = new LinkedHashMap<>();

    public Reachability(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Marks a root and everything below it; {@code name} says where the root came from, for reports. */
    public void mark(Descriptor root, String name) {
        walk(root, name);
    }

    /** Blobs reached (present or not). */
    public Set<Digest> blobs() {
        return Set.copyOf(blobsReached);
    }

    /** ChainIDs of every layer stack of every reached image. */
    public Set<Digest> chainIds() {
        return Set.copyOf(chainIds);
    }

    /** The size each reached blob should have, per the descriptor that reached it. */
    public Map<Digest, Long> expectedSizes() {
        return Map.copyOf(expectedSizes);
    }

    /** Referenced blobs that are not in the store (foreign layers with URLs excepted), and who refers to them. */
    public Map<Digest, String> missing() {
        return Map.copyOf(missing);
    }

    /** Manifests, indexes or configs that exist but could not be read or parsed, and why. */
    public Map<Digest, String> unreadable() {
        return Map.copyOf(unreadable);
    }

    private void walk(Descriptor descriptor, String via) {
        Digest digest = descriptor.digest();
        if (!blobsReached.add(digest)) {
            return;
        }
        expectedSizes.put(digest, descriptor.size());
        if (!blobs.has(digest)) {
            if (descriptor.urls().isEmpty() && !MediaType.isNondistributable(descriptor.mediaType())) {
                missing.put(digest, via);
            }
            return;
        }
        String mediaType = descriptor.mediaType();
        if (!MediaType.isManifest(mediaType) && !MediaType.isIndex(mediaType)) {
            return;
        }
        try {
            byte[] document = read(descriptor);
            if (MediaType.isIndex(mediaType)) {
                for (Descriptor child : Index.parse(document).manifests()) {
                    walk(child, via);
                }
                return;
            }
            Manifest manifest = Manifest.parse(document);
            walk(manifest.config(), via);
            for (Descriptor layer : manifest.layers()) {
                walk(layer, via);
            }
            if (manifest.subject() != null) {
                blobsReached.add(manifest.subject().digest());
            }
            markChainIds(manifest.config(), via);
        } catch (IOException | RuntimeException e) {
            unreadable.put(digest, via + ": " + e.getMessage());
        }
    }

    private void markChainIds(Descriptor config, String via) {
        if (!MediaType.isConfig(config.mediaType()) || !blobs.has(config.digest())) {
            return;
        }
        try {
            chainIds.addAll(ChainIds.of(ImageConfig.parse(read(config)).rootfs().diffIds()));
        } catch (IOException | RuntimeException e) {
            unreadable.put(config.digest(), via + ": " + e.getMessage());
        }
    }

    private byte[] read(Descriptor descriptor) throws IOException {
        if (descriptor.size() > MediaTypeSniffer.MAX_DOCUMENT_SIZE) {
            throw new IOException(descriptor.digest() + " is too large for a " + descriptor.mediaType()
                    + " (" + descriptor.size() + " bytes)");
        }
        try (InputStream in = blobs.open(descriptor.digest(), descriptor.size())) {
            return in.readAllBytes();
        }
    }

    /** Names of everything unreadable, for an error message. */
    public List<String> describeUnreadable() {
        List<String> lines = new ArrayList<>();
        unreadable.forEach((digest, why) -> lines.add(digest + " (" + why + ")"));
        return lines;
    }
}
