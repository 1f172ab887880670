package dev.jbuild.runtime;

import dev.jbuild.oci.Platform;
import java.util.Objects;

/** Whether programs of a platform run on this host: natively, through a binfmt_misc interpreter, or not at all (and why). */
public sealed interface EmulationStatus {
    /** The platform asked about. */
    Platform platform();

    /** True when programs of the platform run here, natively or emulated. */
    default boolean runnable() {
        return !(this instanceof Missing);
    }

    /** The host's own architecture: no emulation needed. */
    record Native(Platform platform) implements EmulationStatus {
        public Native {
            Objects.requireNonNull(platform, "platform");
        }
    }

    /** The kernel runs the platform's programs through a registered interpreter. */
    record Emulated(Platform platform, EmulationHandler handler) implements EmulationStatus {
        public Emulated {
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(handler, "handler");
        }
    }

    /** Programs of the platform cannot run here; {@code explanation} says why and how to fix it. */
    record Missing(Platform platform, String explanation) implements EmulationStatus {
        public Missing {
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(explanation, "explanation");
        }
    }
}
