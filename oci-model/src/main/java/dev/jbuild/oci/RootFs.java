package dev.jbuild.oci;

import java.util.List;

/** The config's {@code rootfs}: the uncompressed digests (diffIDs) of the layers, bottom first. */
public record RootFs(String type, List<Digest> diffIds) {
    public RootFs {
        type = type == null || type.isEmpty() ? "layers" : type;
        diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    }

    public static RootFs of(List<Digest> diffIds) {
        return new RootFs("layers", diffIds);
    }

    /** This rootfs with one more layer on top. */
    public RootFs append(Digest diffId) {
        var all = new java.util.ArrayList<>(diffIds);
        all.add(diffId);
        return new RootFs(type, all);
    }
}
