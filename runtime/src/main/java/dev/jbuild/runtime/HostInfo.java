package dev.jbuild.runtime;

import java.util.List;
import java.util.Objects;

/**
 * What the runtime found on this host, as {@code jbuild info} prints it.
 *
 * @param kernel the kernel release
 * @param overlay whether overlayfs is available
 * @param cgroups the cgroup hierarchy, e.g. "v1 (hybrid …)"
 * @param subuid the caller's subordinate uid range "start:count", or "none"
 * @param subgid the caller's subordinate gid range, or "none"
 * @param isolation the isolation containers get
 * @param reasons why the runtime stepped down the isolation ladder (empty at the top)
 */
public record HostInfo(String kernel, boolean overlay, String cgroups, String subuid, String subgid,
                       Isolation isolation, List<String> reasons) {
    public HostInfo {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(cgroups, "cgroups");
        Objects.requireNonNull(subuid, "subuid");
        Objects.requireNonNull(subgid, "subgid");
        Objects.requireNonNull(isolation, "isolation");
        reasons = List.copyOf(reasons);
    }
}
