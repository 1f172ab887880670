package dev.jbuild.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The changes made to one directory tree, for builds without overlayfs: {@link #snapshot} records
 * every entry's metadata, and {@link Snapshot#changes} walks the tree again and compares. A file is
 * changed when its inode or its ctime is, which the kernel updates on every write, truncation,
 * chmod, chown, link and xattr change and user space cannot set back; so no content is read and no
 * second copy of the tree is needed. A directory is changed when its type, mode, owner or mtime is
 * (adding or removing entries sets its mtime). Deletions become whiteouts; the parents of every
 * change are included, so the layer carries their metadata.
 */
public final class TreeDiff {
    /** How far a file system's coarse clock may lag the system clock that {@link #snapshot} reads. */
    private static final long CLOCK_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,ctime,ino,rdev";

    private TreeDiff() {
    }

    /**
     * Records the tree below {@code root}. Returns once the system clock is past every ctime it saw by
     * more than a coarse clock tick (by a second and a tick where the file system keeps whole seconds
     * only), so that a change made afterwards cannot keep a ctime it recorded.
     */
    public static Snapshot snapshot(Path root) throws IOException {
        Map<String, Entry> entries = new HashMap<>();
        Map<String, Set<String>> children = new HashMap<>();
        long newestChange = record(root, "", entries, children);
        boolean wholeSeconds = !entries.isEmpty()
                && entries.values().stream().allMatch(entry -> entry.ctime() % 1_000_000_000L == 0);
        long wait = newestChange + (wholeSeconds ? TimeUnit.SECONDS.toNanos(1) : 0) + CLOCK_SLACK_NANOS - now();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while taking a snapshot of " + root, e);
            }
        }
        return new Snapshot(root, entries, children);
    }

    /** What one entry was: the fields a change shows in. */
    private record Entry(int mode, int uid, int gid, long size, long mtime, long ctime, long inode, long rdev) {
        boolean isDirectory() {
            return (mode & 0170000) == 0040000;
        }

        boolean sameAs(Entry now) {
            if (mode != now.mode || uid != now.uid || gid != now.gid) {
                return false;
            }
            if (isDirectory()) {
                return mtime == now.mtime;
            }
            return inode == now.inode && ctime == now.ctime && size == now.size && mtime == now.mtime && rdev == now.rdev;
        }

        static Entry of(Path path) throws IOException {
            Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            return new Entry((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
                    nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")), (Long) a.get("ino"), (Long) a.get("rdev"));
        }

        private static long nanos(Object time) {
            return ((FileTime) time).to(TimeUnit.NANOSECONDS);
        }
    }

    private static long record(Path directory, String prefix, Map<String, Entry> entries, Map<String, Set<String>> children)
            throws IOException {
        long newest = Long.MIN_VALUE;
        Set<String> names = new TreeSet<>(list(directory));
        children.put(prefix, names);
        for (String name : names) {
            Path child = directory.resolve(name);
            Entry entry = Entry.of(child);
            String path = prefix + name;
            entries.put(path, entry);
            newest = Math.max(newest, entry.ctime());
            if (entry.isDirectory()) {
                newest = Math.max(newest, record(child, path + "/", entries, children));
            }
        }
        return newest;
    }

    private static long now() {
        java.time.Instant instant = java.time.Instant.now();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.map(child -> Objects.toString(child.getFileName())).sorted().toList();
        }
    }

    /** A tree as it was when {@link #snapshot} recorded it. */
    public static final class Snapshot {
        private final Path root;
        private final Map<String, Entry> entries;
        private final Map<String, Set<String>> children;

        private Snapshot(Path root, Map<String, Entry> entries, Map<String, Set<String>> children) {
            this.root = root;
            this.entries = Map.copyOf(entries);
            this.children = Map.copyOf(children);
        }

        /** True when the tree had the clean relative {@code path}. */
        public boolean contains(String path) {
            return entries.containsKey(path);
        }

        /** The last modification time the tree's {@code path} had; the tree must have had it. */
        public FileTime modified(String path) {
            Entry entry = Objects.requireNonNull(entries.get(path), path);
            return FileTime.from(entry.mtime(), TimeUnit.NANOSECONDS);
        }

        /**
         * What changed in the tree since the snapshot, as a layer records it, leaving out the clean relative
         * paths in {@code ignored} and everything below them (mount points).
         */
        public List<LayerChange> changes(Set<String> ignored) throws IOException {
            Set<String> emitted = new LinkedHashSet<>();
            List<LayerChange> changes = new ArrayList<>();
            compare(root, "", ignored, emitted, changes);
            return changes;
        }

        private void compare(Path directory, String prefix, Set<String> ignored, Set<String> emitted,
                             List<LayerChange> changes) throws IOException {
            Set<String> names = new TreeSet<>(list(directory));
            names.removeIf(name -> ignored.contains(prefix + name));
            for (String name : children.getOrDefault(prefix, Set.of())) {
                if (!names.contains(name) && !ignored.contains(prefix + name)) {
                    addParents(prefix, emitted, changes);
                    changes.add(new LayerChange.Whiteout(prefix + name));
                }
            }
            for (String name : names) {
                Path child = directory.resolve(name);
                String path = prefix + name;
                Entry now = Entry.of(child);
                Entry then = entries.get(path);
                if (then == null || !then.sameAs(now)) {
                    addParents(prefix, emitted, changes);
                    if (emitted.add(path)) {
                        changes.add(new LayerChange.Put(path, child));
                    }
                }
                if (now.isDirectory()) {
                    if (then != null && then.isDirectory()) {
                        compare(child, path + "/", ignored, emitted, changes);
                    } else {
                        addAll(child, path + "/", ignored, emitted, changes);
                    }
                }
            }
        }

        private void addAll(Path directory, String prefix, Set<String> ignored, Set<String> emitted,
                            List<LayerChange> changes) throws IOException {
            for (String name : list(directory)) {
                if (ignored.contains(prefix + name)) {
                    continue;
                }
                Path child = directory.resolve(name);
                if (emitted.add(prefix + name)) {
                    changes.add(new LayerChange.Put(prefix + name, child));
                }
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    addAll(child, prefix + name + "/", ignored, emitted, changes);
                }
            }
        }

        private void addParents(String prefix, Set<String> emitted, List<LayerChange> changes) {
            if (prefix.isEmpty()) {
                return;
            }
            StringBuilder path = new StringBuilder();
            for (String part : prefix.substring(0, prefix.length() - 1).split("/")) {
                path.append(path.isEmpty() ? "" : "/").append(part);
                if (emitted.add(path.toString())) {
                    changes.add(new LayerChange.Put(path.toString(), root.resolve(path.toString())));
                }
            }
        }
    }
}
