package dev.jbuild.builder.internal;

import dev.jbuild.store.LayerChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes from a RUN's changes the mount points the runtime had to create (a secret's
 * {@code /run/secrets/id}, a cache's target) and the directories made only to hold them, so
 * nothing of a mount reaches the layer.
 */
final class MountStubs {
    private MountStubs() {
    }

    /** Whether the image below the step has a path. */
    @FunctionalInterface
    interface Below {
        boolean has(String path) throws IOException;
    }

    static List<LayerChange> remove(List<LayerChange> changes, List<String> targets, Below lower) throws IOException {
        Set<String> stubs = new HashSet<>();
        for (String target : targets) {
            String path = PathNames.inside(target);
            if (!path.isEmpty() && !lower.has(path)) {
                stubs.add(path);
            }
            for (String parent = PathNames.parent(path); !parent.isEmpty(); parent = PathNames.parent(parent)) {
                if (!lower.has(parent)) {
                    stubs.add(parent);
                }
            }
        }
        Set<String> mountPoints = new HashSet<>();
        for (String target : targets) {
            mountPoints.add(PathNames.inside(target));
        }
        List<LayerChange> kept = new ArrayList<>();
        for (LayerChange change : changes) {
            String path = change.path();
            if (underMountPoint(path, mountPoints)) {
                continue;
            }
            if (stubs.contains(path) && !holdsOtherChanges(path, changes, stubs, mountPoints)) {
                continue;
            }
            kept.add(change);
        }
        return kept;
    }

    private static boolean underMountPoint(String path, Set<String> mountPoints) {
        for (String mountPoint : mountPoints) {
            if (path.equals(mountPoint) || path.startsWith(mountPoint + "/")) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsOtherChanges(String directory, List<LayerChange> changes, Set<String> stubs,
                                             Set<String> mountPoints) {
        String prefix = directory + "/";
        for (LayerChange change : changes) {
            String path = change.path();
            if (path.startsWith(prefix) && !stubs.contains(path) && !underMountPoint(path, mountPoints)) {
                return true;
            }
        }
        return false;
    }
}
