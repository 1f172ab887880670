package dev.jbuild.builder.internal;

import dev.jbuild.oci.Platform;
import java.util.Objects;
import java.util.Optional;

/** What a stage starts from: nothing, an earlier stage, or an image by reference. */
public sealed interface StageBase {
    /** {@code FROM scratch}. */
    record Scratch() implements StageBase {
    }

    /** {@code FROM <earlier stage>}. */
    record EarlierStage(int index) implements StageBase {
    }

    /** {@code FROM <image>}, for {@code platform} when {@code FROM --platform} names one. */
    record Image(String reference, Optional<Platform> platform) implements StageBase {
        public Image {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(platform, "platform");
        }
    }
}
