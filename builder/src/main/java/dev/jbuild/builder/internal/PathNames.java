package dev.jbuild.builder.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/** Slash-separated path cleaning with Go's {@code path.Clean} rules, for context and image paths. */
public final class PathNames {
    private PathNames() {
    }

    /** Go's {@code path.Clean}: one slash between names, no {@code .}, {@code ..} resolved, {@code "."} for empty. */
    public static String clean(String path) {
        boolean rooted = path.startsWith("/");
        Deque<String> names = new ArrayDeque<>();
        for (String name : path.split("/+")) {
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!names.isEmpty() && !names.peekLast().equals("..")) {
                    names.removeLast();
                } else if (!rooted) {
                    names.addLast("..");
                }
            } else {
                names.addLast(name);
            }
        }
        String joined = String.join("/", names);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /**
     * A path inside a root, relative and clean: {@code ..} cannot climb above the root, a leading
     * slash is dropped, and the root itself is the empty string.
     */
    public static String inside(String path) {
        String cleaned = clean("/" + path);
        return cleaned.substring(1);
    }

    /** An absolute, clean image path for {@code path} relative to {@code workingDir} (which defaults to {@code /}). */
    public static String absolute(String path, String workingDir) {
        if (path.startsWith("/")) {
            return clean(path);
        }
        String base = workingDir == null || workingDir.isEmpty() ? "/" : workingDir;
        return clean(base + "/" + path);
    }

    /** The last name of a clean relative path ({@code ""} for the root). */
    public static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** The parent of a clean relative path ({@code ""} for top-level names). */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** Joins two relative paths where either may be empty (the root). */
    public static String join(String parent, String child) {
        if (parent.isEmpty()) {
            return child;
        }
        return child.isEmpty() ? parent : parent + "/" + child;
    }
}
