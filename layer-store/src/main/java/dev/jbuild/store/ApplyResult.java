package dev.jbuild.store;

import dev.jbuild.oci.Digest;
import java.util.List;
import java.util.Objects;

/**
 * What {@link LayerApplier} did: the diffID (sha256 of the uncompressed tar, to check against the
 * config's {@code rootfs.diff_ids}), its size, how many entries were applied, and warnings about
 * what could not be reproduced here (devices or ownership without privilege).
 */
public record ApplyResult(Digest diffId, long uncompressedSize, long entries, List<String> warnings) {
    public ApplyResult {
        Objects.requireNonNull(diffId, "diffId");
        warnings = List.copyOf(warnings);
        if (uncompressedSize < 0 || entries < 0) {
            throw new IllegalArgumentException("negative size or entry count");
        }
    }
}
