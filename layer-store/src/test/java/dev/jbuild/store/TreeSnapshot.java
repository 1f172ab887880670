package dev.jbuild.store;

import dev.jbuild.store.internal.fs.FileStat;
import dev.jbuild.store.internal.fs.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A comparable description of a directory tree: per path its type, mode, ids, mtime, content, link target, xattrs and hardlink group. */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    /** Each path below {@code root} mapped to a one-line description; hardlinked paths name their group's first path. */
    static Map<String, String> of(Path root, boolean withMtimes) throws IOException {
        Map<String, String> result = new TreeMap<>();
        Map<List<Long>, String> firstOfInode = new HashMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted().toList();
        }
        for (Path path : paths) {
            if (path.equals(root)) {
                continue;
            }
            String name = root.relativize(path).toString();
            FileStat stat = FileStat.of(path);
            StringBuilder line = new StringBuilder();
            line.append(Integer.toOctalString(stat.mode())).append(' ').append(stat.uid()).append(':').append(stat.gid());
            if (withMtimes && !stat.isDirectory()) {
                line.append(" mtime=").append(stat.mtimeSeconds());
            }
            if (stat.isRegular()) {
                line.append(" sha=").append(sha(path));
                if (stat.links() > 1) {
                    String first = firstOfInode.putIfAbsent(List.of(stat.device(), stat.inode()), name);
                    line.append(" link-group=").append(first == null ? name : first);
                }
            } else if (stat.isSymlink()) {
                line.append(" -> ").append(Files.readSymbolicLink(path));
            } else if (!stat.isDirectory()) {
                line.append(" rdev=").append(Posix.major(stat.rdev())).append(',').append(Posix.minor(stat.rdev()));
            }
            for (String xattr : Posix.llistxattr(path).stream().sorted().toList()) {
                line.append(' ').append(xattr).append('=')
                        .append(HexFormat.of().formatHex(Posix.lgetxattr(path, xattr).orElseThrow()));
            }
            result.put(name, line.toString());
        }
        return result;
    }

    private static String sha(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
