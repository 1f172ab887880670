package dev.jbuild.store;

import dev.jbuild.store.internal.tar.Unpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Unpacks a layer blob (plain, gzip or zstd tar, recognised by its magic bytes) into a directory.
 *
 * <p>Every entry path is cleaned and resolved inside the root component by component; symlinks in
 * parent positions resolve as they would in a chroot at the root, so nothing is ever written
 * outside it. Absolute names, {@code ..}, hardlinks to missing entries or directories, invalid
 * whiteouts, oversize extension headers, truncated archives and decompression bombs are refused
 * with a {@link LayerRejectedException} naming the entry. Hardlinks, symlinks, fifos, devices (as
 * root), xattrs ({@code security.capability} included), ownership (as root), setuid/setgid/sticky
 * modes and mtimes (directories after their contents, symlinks themselves) are reproduced.
 */
public final class LayerApplier {
    private LayerApplier() {
    }

    /** Applies {@code layerBlob} to {@code root} with the default limits. */
    public static ApplyResult apply(InputStream layerBlob, Path root, ApplyMode mode) throws IOException {
        return apply(layerBlob, root, mode, ApplyOptions.DEFAULTS);
    }

    /** Applies {@code layerBlob} to {@code root} with explicit limits. */
    public static ApplyResult apply(InputStream layerBlob, Path root, ApplyMode mode, ApplyOptions options)
            throws IOException {
        return apply(layerBlob, root, mode, options, List.of());
    }

    /**
     * Applies {@code layerBlob} to {@code root}; in {@link ApplyMode#OVERLAY_LOWER} mode a hardlink
     * whose target is not in this layer is looked up in {@code lowerLayers} (the image's earlier
     * layers as unpacked by this method, topmost first) and copied, since a hardlink cannot cross
     * overlay lowerdirs.
     */
    public static ApplyResult apply(InputStream layerBlob, Path root, ApplyMode mode, ApplyOptions options,
            List<Path> lowerLayers) throws IOException {
        Objects.requireNonNull(layerBlob, "layerBlob");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(options, "options");
        return new Unpacker(root, mode, options, lowerLayers).apply(layerBlob);
    }
}
