package dev.jbuild.runtime;

import java.util.List;

/**
 * One range of a user namespace's uid or gid map: ids {@code inside .. inside+count-1} in the container are
 * {@code outside ..} on the host. The builder needs it to turn host-owned files in a rootless upper directory
 * back into the ids the container saw.
 */
public record IdMap(long inside, long outside, long count) {
    public IdMap {
        if (inside < 0 || outside < 0 || count <= 0) {
            throw new IllegalArgumentException("invalid id map range " + inside + " " + outside + " " + count);
        }
    }

    /** The container id of host id {@code hostId} under {@code maps}, or -1 when it is not mapped. */
    public static long toContainer(List<IdMap> maps, long hostId) {
        for (IdMap map : maps) {
            if (hostId >= map.outside && hostId < map.outside + map.count) {
                return map.inside + (hostId - map.outside);
            }
        }
        return -1;
    }
}
