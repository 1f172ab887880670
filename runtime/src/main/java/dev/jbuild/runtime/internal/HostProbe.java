package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.HostInfo;
import dev.jbuild.runtime.Isolation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Walks the isolation ladder once: tries each step with the real helper and records why it stepped down. */
public final class HostProbe {
    private static final Path SUBUID = Path.of("/etc/subuid");
    private static final Path SUBGID = Path.of("/etc/subgid");

    private HostProbe() {
    }

    /** The caller's subuid range, if any. */
    public static Optional<SubordinateIds> subuid() {
        return SubordinateIds.find(SUBUID, System.getProperty("user.name"), HostFacts.effectiveUid());
    }

    /** The caller's subgid range, if any. */
    public static Optional<SubordinateIds> subgid() {
        return SubordinateIds.find(SUBGID, System.getProperty("user.name"), HostFacts.effectiveUid());
    }

    /** Probes the host and picks the strongest isolation that works here. */
    public static HostInfo probe(Path helper) {
        List<String> reasons = new ArrayList<>();
        Isolation isolation = choose(helper, reasons);
        return new HostInfo(HostFacts.kernelRelease(), HostFacts.overlaySupported(), Cgroups.describe(),
                subuid().map(Object::toString).orElse("none"), subgid().map(Object::toString).orElse("none"),
                isolation, reasons);
    }

    /** Why {@code isolation} cannot be used here, or empty when it can. */
    public static Optional<String> unavailable(Path helper, Isolation isolation) {
        return switch (isolation) {
            case ROOT -> HostFacts.effectiveUid() != 0
                    ? Optional.of("root isolation needs uid 0 (running as uid " + HostFacts.effectiveUid() + ")")
                    : helperProbe(helper, "root").map(why -> "namespaces as root failed: " + why);
            case ROOTLESS_SUBUID -> helperProbe(helper, "user").map(why -> "user namespaces failed: " + why)
                    .or(HostProbe::subordinateIdsMissing);
            case ROOTLESS_ONE_UID -> helperProbe(helper, "user").map(why -> "user namespaces failed: " + why);
            case CHROOT -> HostFacts.hasCapability(HostFacts.CAP_SYS_CHROOT)
                    ? Optional.empty()
                    : Optional.of("chroot needs CAP_SYS_CHROOT, which this process does not have");
        };
    }

    private static Isolation choose(Path helper, List<String> reasons) {
        for (Isolation candidate : Isolation.values()) {
            Optional<String> why = unavailable(helper, candidate);
            if (why.isEmpty()) {
                return candidate;
            }
            reasons.add("not " + candidate.name().toLowerCase().replace('_', '-') + ": " + why.get());
        }
        return Isolation.CHROOT;
    }

    private static Optional<String> subordinateIdsMissing() {
        String user = System.getProperty("user.name");
        if (subuid().isEmpty() || subgid().isEmpty()) {
            return Optional.of("no range for " + user + " in /etc/subuid and /etc/subgid");
        }
        if (HostFacts.onPath("newuidmap").isEmpty() || HostFacts.onPath("newgidmap").isEmpty()) {
            return Optional.of("newuidmap/newgidmap not found (install the uidmap package)");
        }
        return Optional.empty();
    }

    private static Optional<String> helperProbe(Path helper, String mode) {
        try {
            Process process = new ProcessBuilder(helper.toString(), "--probe", mode).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("probe did not finish");
            }
            return process.exitValue() == 0 ? Optional.empty() : Optional.of(output.isEmpty() ? "exit " + process.exitValue() : output);
        } catch (IOException e) {
            return Optional.of("cannot run " + helper + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
