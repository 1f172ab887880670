package dev.jbuild.store.internal;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** Applies one layer blob (any compression) into an empty directory that will serve as an overlay lowerdir. */
@FunctionalInterface
public interface LayerUnpacker {
    /** What an unpack saw: the diffID of the tar it read, and what it could not reproduce. */
    record Unpacked(Digest diffId, List<String> warnings) {
        public Unpacked {
            warnings = List.copyOf(warnings);
        }
    }

    Unpacked unpack(InputStream layerBlob, Path target) throws IOException;
}
