package dev.jbuild.builder.internal.multiplatform;

import dev.jbuild.builder.internal.PlannedStage;
import dev.jbuild.builder.internal.StageBase;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.util.List;

/**
 * Whether the store can give every platform's build its own base images. A tag that names a single image (as a
 * pull for one platform leaves it) serves only that image's platform; the builds of the other platforms must
 * then fetch theirs from the registry instead of taking it.
 */
public final class BaseImageCheck {
    private BaseImageCheck() {
    }

    /** True when some base image is missing from the store or is there only for another platform. */
    public static boolean needsPull(Store store, List<StagePlatforms> builds) throws IOException {
        for (StagePlatforms build : builds) {
            for (PlannedStage stage : build.plan().stages()) {
                if (stage.base() instanceof StageBase.Image image
                        && !serves(store, image.reference(), build.runsOn().get(stage.index()))) {
                    return true;
                }
                for (String copied : stage.images()) {
                    if (!serves(store, copied, build.target())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean serves(Store store, String reference, Platform platform) throws IOException {
        Descriptor descriptor;
        try {
            descriptor = store.resolve(reference);
        } catch (StoreException | IllegalArgumentException notInStore) {
            return false;
        }
        if (!MediaType.isManifest(descriptor.mediaType())) {
            return true;
        }
        ImageConfig config = store.image(descriptor.digest().toString()).config();
        return config.os().isEmpty() || config.architecture().isEmpty() || config.platform().matches(platform);
    }
}
