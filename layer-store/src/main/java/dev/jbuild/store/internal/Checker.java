package dev.jbuild.store.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Digester;
import dev.jbuild.store.FsckReport;
import dev.jbuild.store.FsckReport.Damage;
import dev.jbuild.store.FsckReport.Kind;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The store's fsck: hashes every blob, walks every tag and cache record down to its layers,
 * and checks every unpacked layer's marker. Damaged blobs are moved to {@code quarantine/} and
 * damaged layer directories removed, so neither is ever served; a later pull or unpack restores them.
 */
public final class Checker {
    private final BlobStore blobs;
    private final IndexFile index;
    private final CacheRecords cache;
    private final LayerCache layers;

    public Checker(BlobStore blobs, IndexFile index, CacheRecords cache, LayerCache layers) {
        this.blobs = blobs;
        this.index = index;
        this.cache = cache;
        this.layers = layers;
    }

    public FsckReport check() throws IOException {
        List<Damage> damage = new ArrayList<>();
        Reachability reachability = new Reachability(blobs);
        try {
            for (Descriptor root : index.read().manifests()) {
                reachability.mark(root, rootName(root));
            }
        } catch (StoreException e) {
            damage.add(new Damage(Kind.BAD_INDEX, "index.json", e.getMessage()));
        }
        for (Map.Entry<String, Optional<Descriptor>> record : cache.read().entrySet()) {
            if (record.getValue().isPresent()) {
                reachability.mark(record.getValue().get(), "cache record " + record.getKey());
            } else {
                damage.add(new Damage(Kind.UNREADABLE_DOCUMENT, "cache/" + record.getKey(),
                        "not a valid cache record"));
            }
        }

        long blobCount = 0;
        long bytes = 0;
        Set<Digest> damaged = new HashSet<>();
        Map<Digest, Long> expectedSizes = reachability.expectedSizes();
        for (Digest digest : blobs.list()) {
            long size;
            Digest actual;
            try {
                Path path = blobs.path(digest);
                size = Files.size(path);
                actual = hash(path, digest.algorithm());
            } catch (NoSuchFileException removedMeanwhile) {
                continue;
            }
            blobCount++;
            bytes += size;
            if (!actual.equals(digest)) {
                damaged.add(digest);
                Long expected = expectedSizes.get(digest);
                boolean truncated = expected != null && size < expected;
                Path moved = blobs.quarantine(digest);
                damage.add(new Damage(truncated ? Kind.TRUNCATED_BLOB : Kind.CORRUPT_BLOB, digest.toString(),
                        size + " bytes on disk" + (expected != null ? " (expected " + expected + ")" : "")
                                + " hash to " + actual + "; moved to " + moved));
            }
        }
        reachability.missing().forEach((digest, via) ->
                damage.add(new Damage(Kind.MISSING_BLOB, digest.toString(), "needed by " + via)));
        reachability.unreadable().forEach((digest, why) -> {
            if (!damaged.contains(digest)) {
                damage.add(new Damage(Kind.UNREADABLE_DOCUMENT, digest.toString(), why));
            }
        });

        Map<String, String> badLayers = layers.check();
        for (Map.Entry<String, String> bad : badLayers.entrySet()) {
            layers.remove(bad.getKey());
            damage.add(new Damage(Kind.BAD_LAYER, "layers/" + bad.getKey(), bad.getValue() + "; removed"));
        }
        long layerCount = layers.list().size() + badLayers.size();
        return new FsckReport(blobCount, bytes, layerCount, damage);
    }

    static String rootName(Descriptor root) {
        return root.refName().isEmpty() ? "index.json entry " + root.digest() : "tag " + root.refName();
    }

    private static Digest hash(Path path, String algorithm) throws IOException {
        Digester digester = Digester.of(algorithm);
        try (InputStream in = digester.wrap(Files.newInputStream(path))) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return digester.digest();
    }
}
