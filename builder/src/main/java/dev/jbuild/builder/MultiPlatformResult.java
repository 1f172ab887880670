package dev.jbuild.builder;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Platform;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a multi-platform build made.
 *
 * @param index    the OCI index (or Docker manifest list) over the platforms' images, in the store
 * @param exported the index a push sent, over images with gzip layers; {@code index} when nothing was pushed
 * @param images   each platform's build result, in the order the platforms were asked for
 * @param tags     the tags the store now has for the index
 */
public record MultiPlatformResult(Descriptor index, Descriptor exported, Map<Platform, BuildResult> images,
                                  List<String> tags) {
    public MultiPlatformResult {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(exported, "exported");
        images = Collections.unmodifiableMap(new LinkedHashMap<>(images));
        tags = List.copyOf(tags);
    }
}
