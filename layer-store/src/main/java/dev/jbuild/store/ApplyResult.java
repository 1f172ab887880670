package dev.jbuild.store;

import dev.jbuild.oci.Digest;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link LayerApplier} did: the diffID (sha256 of the uncompressed tar, to check against the
 * config's {@code rootfs.diff_ids}), its size, how many entries were applied, warnings about what
 * could not be reproduced here (devices or ownership without privilege), and the owners the layer
 * names for paths whose owner could not be set: by path relative to the root, in the form
 * {@link LayerWriter#writeDirectory} takes, so a rootless caller that writes the tree as a layer
 * again keeps them.
 */
public record ApplyResult(Digest diffId, long uncompressedSize, long entries, List<String> warnings,
                          Map<String, FileOwner> unappliedOwners) {
    public ApplyResult {
        Objects.requireNonNull(diffId, "diffId");
        warnings = List.copyOf(warnings);
        unappliedOwners = Map.copyOf(unappliedOwners);
        if (uncompressedSize < 0 || entries < 0) {
            throw new IllegalArgumentException("negative size or entry count");
        }
    }
}
