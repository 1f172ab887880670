package dev.jbuild.store;

/** How {@link LayerApplier} treats whiteouts: delete what is below, or keep them as overlayfs markers. */
public enum ApplyMode {
    /** Whiteouts delete what earlier layers put in the same root (exports, chroot builds). */
    FLATTEN,
    /**
     * The root is this layer's own empty directory, used as an overlay lowerdir: {@code .wh.x} becomes
     * a char device 0/0 named {@code x} and {@code .wh..wh..opq} the xattr {@code user.overlay.opaque=y}
     * (overlay is always mounted with {@code userxattr}).
     */
    OVERLAY_LOWER
}
