package dev.jbuild.builder;

import dev.jbuild.runtime.Isolation;
import dev.jbuild.runtime.Limits;
import dev.jbuild.runtime.Rlimit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How every RUN step of a build runs, as the command line sets it.
 *
 * @param network      {@code --network}: the network of steps without their own {@code --network}:
 *                     {@code default} (the host's), {@code none} or {@code host}
 * @param extraHosts   {@code --add-host}: lines added to every step's {@code /etc/hosts}
 * @param ulimits      {@code --ulimit}: resource limits of every step's command
 * @param shmSize      {@code --shm-size}: the size of every step's {@code /dev/shm} in bytes; 0 for the runtime's 64 MiB
 * @param limits       {@code --memory}, {@code --cpu-quota}/{@code --cpu-period}: the cgroup limits of every step
 *                     (enforced with root isolation, where the runtime owns cgroups)
 * @param isolation    {@code --isolation}: how steps are isolated; empty picks the strongest this host allows
 * @param entitlements {@code --allow}: privileges steps may ask for, {@value #SECURITY_INSECURE} and {@value #NETWORK_HOST}
 */
public record RunSettings(String network, List<ExtraHost> extraHosts, List<Rlimit> ulimits, long shmSize,
                          Limits limits, Optional<Isolation> isolation, Set<String> entitlements) {
    /** The entitlement {@code RUN --security=insecure} needs: the step keeps every capability. */
    public static final String SECURITY_INSECURE = "security.insecure";

    /** The entitlement {@code RUN --network=host} needs, as with BuildKit: the step shares the host's network. */
    public static final String NETWORK_HOST = "network.host";

    /** Docker's defaults: the host's network, no added hosts or limits, the strongest isolation, no entitlements. */
    public static final RunSettings DEFAULTS = new RunSettings("default", List.of(), List.of(), 0, Limits.NONE,
            Optional.empty(), Set.of());

    private static final Set<String> ENTITLEMENTS = Set.of(SECURITY_INSECURE, NETWORK_HOST);

    public RunSettings {
        Objects.requireNonNull(network, "network");
        if (!Set.of("default", "none", "host").contains(network)) {
            throw new IllegalArgumentException("unknown network \"" + network + "\" (--network takes default, none or host)");
        }
        extraHosts = List.copyOf(extraHosts);
        ulimits = List.copyOf(ulimits);
        if (shmSize < 0) {
            throw new IllegalArgumentException("--shm-size must not be negative: " + shmSize);
        }
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(isolation, "isolation");
        entitlements = Set.copyOf(entitlements);
        for (String entitlement : entitlements) {
            if (!ENTITLEMENTS.contains(entitlement)) {
                throw new IllegalArgumentException("unknown entitlement \"" + entitlement + "\" (--allow takes "
                        + SECURITY_INSECURE + " or " + NETWORK_HOST + ")");
            }
        }
    }
}
