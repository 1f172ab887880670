package dev.jbuild.runtime;

import java.util.List;
import java.util.Map;

/**
 * What {@link Emulation#install} did.
 *
 * @param mounted whether it mounted binfmt_misc (false when it already was)
 * @param registered the entries it registered
 * @param alreadyRegistered the entries that were registered before
 * @param failed the entries the kernel refused, with its reason
 */
public record EmulationInstall(boolean mounted, List<String> registered, List<String> alreadyRegistered,
                               Map<String, String> failed) {
    public EmulationInstall {
        registered = List.copyOf(registered);
        alreadyRegistered = List.copyOf(alreadyRegistered);
        failed = Map.copyOf(failed);
    }
}
