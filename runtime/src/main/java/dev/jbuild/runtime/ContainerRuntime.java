package dev.jbuild.runtime;

import dev.jbuild.runtime.internal.HelperLauncher;
import dev.jbuild.runtime.internal.HostFacts;
import dev.jbuild.runtime.internal.HostProbe;
import dev.jbuild.runtime.internal.NativeHelper;
import dev.jbuild.runtime.internal.OciLauncher;
import dev.jbuild.runtime.internal.SubordinateIds;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point of the runtime: detects once how containers can be isolated on this host (the isolation
 * ladder) and makes {@link Container}s.
 *
 * <pre>{@code
 * ContainerRuntime runtime = ContainerRuntime.detect();
 * ExitStatus status = runtime.container(spec).run(null, System.out, System.err);
 * }</pre>
 */
public final class ContainerRuntime {
    /**
     * Holds the logger, so it is looked up only when something is logged: the lookup searches every
     * jar on the class path for a logging service, which costs a short command tens of milliseconds.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.jbuild.runtime");
    }
    private static volatile HostInfo detected;

    private final Isolation isolation;
    private final Container.Launcher launcher;

    private ContainerRuntime(Isolation isolation, Container.Launcher launcher) {
        this.isolation = isolation;
        this.launcher = launcher;
    }

    /** The runtime with the strongest isolation this host allows; each step down the ladder is logged with its reason. */
    public static ContainerRuntime detect() {
        HostInfo info = hostInfo();
        return new ContainerRuntime(info.isolation(), new HelperLauncher(NativeHelper.path(), info.isolation())::run);
    }

    /** The runtime with a forced isolation ({@code --isolation}); fails with the reason when the host cannot provide it. */
    public static ContainerRuntime withIsolation(Isolation isolation) {
        Objects.requireNonNull(isolation, "isolation");
        Path helper = NativeHelper.path();
        Optional<String> why = HostProbe.unavailable(helper, isolation);
        if (why.isPresent()) {
            throw new ContainerException(ContainerException.SETUP_FAILED,
                    "isolation " + isolation.name().toLowerCase().replace('_', '-') + " is not available: " + why.get());
        }
        return new ContainerRuntime(isolation, new HelperLauncher(helper, isolation)::run);
    }

    /**
     * A runtime that hands each container to an external OCI runtime ({@code runc} or {@code crun}, found on PATH or
     * given as a path) as a bundle whose {@code config.json} is made from the same spec. Needs root.
     */
    public static ContainerRuntime withOciRuntime(String runtime) {
        return new ContainerRuntime(Isolation.ROOT, new OciLauncher(runtime)::run);
    }

    /** What was found on this host (probed once per JVM). */
    public static HostInfo hostInfo() {
        HostInfo info = detected;
        if (info == null) {
            synchronized (ContainerRuntime.class) {
                info = detected;
                if (info == null) {
                    info = HostProbe.probe(NativeHelper.path());
                    for (String reason : info.reasons()) {
                        Log.LOG.log(System.Logger.Level.INFO, "isolation: " + reason);
                    }
                    detected = info;
                }
            }
        }
        return info;
    }

    /** The isolation containers of this runtime get. */
    public Isolation isolation() {
        return isolation;
    }

    /**
     * How container uids map to host uids for this runtime's isolation: empty for root and chroot isolation
     * (ids are host ids), the caller's uid as root for rootless, plus the subordinate range with a subuid map.
     */
    public List<IdMap> uidMap() {
        return idMap(HostFacts.effectiveUid(), HostProbe.subuid());
    }

    /** How container gids map to host gids; see {@link #uidMap()}. */
    public List<IdMap> gidMap() {
        return idMap(HostFacts.effectiveGid(), HostProbe.subgid());
    }

    private List<IdMap> idMap(int callerId, Optional<SubordinateIds> range) {
        return switch (isolation) {
            case ROOT, CHROOT -> List.of();
            case ROOTLESS_ONE_UID -> List.of(new IdMap(0, callerId, 1));
            case ROOTLESS_SUBUID -> List.of(new IdMap(0, callerId, 1),
                    new IdMap(1, range.orElseThrow().start(), range.orElseThrow().count()));
        };
    }

    /** A container for {@code spec}; nothing runs until {@link Container#run}. */
    public Container container(ContainerSpec spec) {
        return new Container(spec, launcher);
    }
}
