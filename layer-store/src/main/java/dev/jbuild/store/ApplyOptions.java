package dev.jbuild.store;

/**
 * Limits on what one layer may expand to, so a decompression bomb or a hostile header is refused
 * before it fills the disk or the heap.
 *
 * @param maxExpansionRatio        uncompressed bytes allowed per compressed byte read
 * @param ratioGraceBytes          uncompressed bytes before the ratio is enforced (small layers of zeros are fine)
 * @param maxUncompressedBytes     total uncompressed bytes allowed
 * @param maxExtensionHeaderBytes  largest PAX or GNU long-name header accepted
 */
public record ApplyOptions(long maxExpansionRatio, long ratioGraceBytes, long maxUncompressedBytes,
        int maxExtensionHeaderBytes) {
    /**
     * Ratio 250 after 256 MiB (gzip cannot pass about 1030, so a useful limit must sit well below it;
     * real layers rarely pass 20), at most 256 GiB per layer, extension headers up to 1 MiB.
     */
    public static final ApplyOptions DEFAULTS = new ApplyOptions(250, 256L << 20, 256L << 30, 1 << 20);

    public ApplyOptions {
        if (maxExpansionRatio < 1 || ratioGraceBytes < 0 || maxUncompressedBytes < 1 || maxExtensionHeaderBytes < 512) {
            throw new IllegalArgumentException("invalid apply limits: ratio " + maxExpansionRatio + ", grace "
                    + ratioGraceBytes + ", max " + maxUncompressedBytes + ", header " + maxExtensionHeaderBytes);
        }
    }

    /** These options with another expansion ratio limit and grace. */
    public ApplyOptions withExpansionLimit(long ratio, long graceBytes) {
        return new ApplyOptions(ratio, graceBytes, maxUncompressedBytes, maxExtensionHeaderBytes);
    }
}
