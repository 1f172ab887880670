package dev.jbuild.store.internal;

import dev.jbuild.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The image-spec's ChainIDs: the first layer's is its diffID; each next one is
 * {@code sha256(parentChainID + " " + diffID)}. A ChainID names a stack of layers, so an
 * unpacked layer is cached under it.
 */
public final class ChainIds {
    private ChainIds() {
    }

    /** The ChainID of every prefix of {@code diffIds}, bottom first. */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest parent = null;
        for (Digest diffId : diffIds) {
            parent = parent == null ? diffId : Digest.sha256((parent + " " + diffId).getBytes(StandardCharsets.UTF_8));
            chain.add(parent);
        }
        return List.copyOf(chain);
    }
}
