package dev.jbuild.store;

import dev.jbuild.oci.MediaType.Compression;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How {@link LayerWriter} writes a layer: the compression (gzip by default), its level, and the
 * {@code SOURCE_DATE_EPOCH} that mtimes are clamped to when set.
 */
public record LayerWriteOptions(Compression compression, int level, OptionalLong sourceDateEpoch) {
    /** gzip level 6, mtimes as they are. */
    public static final LayerWriteOptions DEFAULTS = new LayerWriteOptions(Compression.GZIP, 6, OptionalLong.empty());

    public LayerWriteOptions {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
        int max = compression == Compression.ZSTD ? 22 : 9;
        if (compression != Compression.NONE && (level < 1 || level > max)) {
            throw new IllegalArgumentException(compression + " level " + level + " is outside 1.." + max);
        }
        if (sourceDateEpoch.isPresent() && sourceDateEpoch.getAsLong() < 0) {
            throw new IllegalArgumentException("negative SOURCE_DATE_EPOCH " + sourceDateEpoch.getAsLong());
        }
    }

    /** These options with another compression at its usual level (gzip 6, zstd 3). */
    public LayerWriteOptions withCompression(Compression newCompression) {
        return new LayerWriteOptions(newCompression, newCompression == Compression.ZSTD ? 3 : 6, sourceDateEpoch);
    }

    /** These options with mtimes clamped to {@code epochSeconds}. */
    public LayerWriteOptions withSourceDateEpoch(long epochSeconds) {
        return new LayerWriteOptions(compression, level, OptionalLong.of(epochSeconds));
    }
}
