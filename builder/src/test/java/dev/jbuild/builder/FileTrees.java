package dev.jbuild.builder;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Describes file trees so that two builds' results can be compared whole. */
final class FileTrees {
    private FileTrees() {
    }

    /** Every path below {@code root} with its type, mode, owner and content digest or link target (never mtimes). */
    static Map<String, String> describe(Path root, Set<String> ignored) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String name = root.relativize(path).toString();
                if (name.isEmpty() || ignored.contains(name)) {
                    continue;
                }
                Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) attributes.get("mode");
                String what;
                if (Files.isSymbolicLink(path)) {
                    what = "link " + Files.readSymbolicLink(path);
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    what = "dir " + Integer.toOctalString(mode & 07777);
                } else {
                    try (InputStream in = Files.newInputStream(path)) {
                        what = "file " + Integer.toOctalString(mode & 07777) + " " + Digest.sha256(in.readAllBytes());
                    }
                }
                entries.put(name, what + " " + attributes.get("uid") + ":" + attributes.get("gid"));
            }
        }
        return entries;
    }
}
