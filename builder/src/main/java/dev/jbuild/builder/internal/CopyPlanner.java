package dev.jbuild.builder.internal;

import dev.jbuild.builder.internal.UserDatabase.Owner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Decides what a COPY or ADD writes, with BuildKit's rules: a directory source copies its contents,
 * a destination ending in {@code /} (or an existing directory) receives sources by their base names,
 * several sources need a directory destination, context files become root's unless {@code --chown},
 * {@code --chmod} sets every copied mode, and missing parents of the destination are created.
 */
public final class CopyPlanner {
    /**
     * One COPY/ADD after expansion.
     *
     * @param sources     the source paths or globs, relative to the source tree's root
     * @param destination the destination as written after expansion (a trailing slash matters)
     * @param workingDir  the stage's working directory, for a relative destination
     * @param owner       {@code --chown}, resolved
     * @param chmod       {@code --chmod}, parsed
     * @param excludes    {@code --exclude} patterns
     * @param parents     {@code --parents}: keep each source's path below the destination
     */
    public record Request(List<String> sources, String destination, String workingDir, Optional<Owner> owner,
                          OptionalInt chmod, IgnorePatterns excludes, boolean parents) {
        public Request {
            sources = List.copyOf(sources);
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(workingDir, "workingDir");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(chmod, "chmod");
            Objects.requireNonNull(excludes, "excludes");
        }
    }

    /** A COPY that cannot be done: a missing source or a bad destination. */
    public static final class CopyException extends Exception {
        private static final long serialVersionUID = 1L;

        public CopyException(String message) {
            super(message);
        }
    }

    private CopyPlanner() {
    }

    /** The entries {@code request} writes, sorted by path, reading sources from {@code tree} and the image below from {@code image}. */
    public static List<CopyEntry> plan(FileTree tree, FileTree image, Request request) throws IOException, CopyException {
        List<SourceMatcher.Match> matches = new ArrayList<>();
        boolean wildcard = false;
        for (String source : request.sources()) {
            List<SourceMatcher.Match> found = SourceMatcher.match(tree, source);
            if (SourceMatcher.hasWildcards(source)) {
                wildcard = true;
            } else if (found.isEmpty()) {
                throw new CopyException("\"/" + PathNames.inside(source) + "\": not found");
            }
            for (SourceMatcher.Match match : found) {
                if (!request.excludes().excludes(match.path())) {
                    matches.add(match);
                }
            }
        }
        String destination = PathNames.absolute(request.destination(), request.workingDir()).substring(1);
        boolean slash = request.destination().endsWith("/") || request.destination().endsWith("/.")
                || request.destination().equals(".");
        boolean existingDirectory = destination.isEmpty() || image.find(destination)
                .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).isPresent();
        boolean intoDirectory = slash || existingDirectory || request.parents();
        if (!intoDirectory && (request.sources().size() > 1 || (wildcard && matches.size() > 1))) {
            throw new CopyException("When using COPY with more than one source file, the destination must be a "
                    + "directory and end with a /");
        }
        TreeMap<String, CopyEntry> entries = new TreeMap<>();
        for (SourceMatcher.Match match : matches) {
            boolean directory = Files.isDirectory(match.file(), LinkOption.NOFOLLOW_LINKS);
            String target;
            if (request.parents()) {
                target = PathNames.join(destination, match.path());
            } else if (directory) {
                target = destination;
            } else {
                target = intoDirectory ? PathNames.join(destination, PathNames.baseName(match.path())) : destination;
            }
            if (target.isEmpty() && !directory) {
                throw new CopyException("cannot copy file " + match.path() + " to the root directory itself");
            }
            if (directory) {
                if (!target.isEmpty() && (request.parents() || !existingDirectory)) {
                    entries.put(target, entry(target, match.file(), tree, request));
                }
                addTree(tree, match.path(), target, request, entries);
            } else {
                entries.put(target, entry(target, match.file(), tree, request));
            }
        }
        addParents(image, request, entries);
        return List.copyOf(entries.values());
    }

    private static void addTree(FileTree tree, String sourceDirectory, String targetDirectory, Request request,
                                Map<String, CopyEntry> entries) throws IOException {
        for (FileTree.Child child : tree.children(sourceDirectory)) {
            String source = PathNames.join(sourceDirectory, child.name());
            if (request.excludes().excludes(source)) {
                continue;
            }
            String target = PathNames.join(targetDirectory, child.name());
            CopyEntry entry = entry(target, child.file(), tree, request);
            entries.put(target, entry);
            if (entry.kind() == CopyEntry.Kind.DIRECTORY) {
                addTree(tree, source, target, request, entries);
            }
        }
    }

    private static CopyEntry entry(String target, Path file, FileTree tree, Request request) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(file, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attributes.get("mode");
        int type = mode & 0170000;
        CopyEntry.Kind kind = switch (type) {
            case 0040000 -> CopyEntry.Kind.DIRECTORY;
            case 0120000 -> CopyEntry.Kind.SYMLINK;
            case 0100000 -> CopyEntry.Kind.FILE;
            default -> throw new IOException("cannot copy " + file + ": only files, directories and symlinks can be copied");
        };
        int uid = tree.keepsOwners() ? (Integer) attributes.get("uid") : 0;
        int gid = tree.keepsOwners() ? (Integer) attributes.get("gid") : 0;
        if (request.owner().isPresent()) {
            uid = request.owner().get().uid();
            gid = request.owner().get().gid();
        }
        int permissions = kind == CopyEntry.Kind.SYMLINK ? 0777
                : request.chmod().isPresent() ? request.chmod().getAsInt() : mode & 07777;
        String link = kind == CopyEntry.Kind.SYMLINK ? Files.readSymbolicLink(file).toString() : "";
        return new CopyEntry(target, kind, Optional.of(file), null, link, permissions, uid, gid);
    }

    private static void addParents(FileTree image, Request request, TreeMap<String, CopyEntry> entries)
            throws IOException {
        for (String path : List.copyOf(entries.keySet())) {
            String parent = PathNames.parent(path);
            while (!parent.isEmpty() && !entries.containsKey(parent)) {
                Optional<Path> existing = image.find(parent);
                if (existing.isPresent() && Files.isDirectory(existing.get(), LinkOption.NOFOLLOW_LINKS)) {
                    Map<String, Object> attributes = Files.readAttributes(existing.get(), "unix:mode,uid,gid",
                            LinkOption.NOFOLLOW_LINKS);
                    entries.put(parent, new CopyEntry(parent, CopyEntry.Kind.DIRECTORY, existing, null, null,
                            (Integer) attributes.get("mode") & 07777, (Integer) attributes.get("uid"),
                            (Integer) attributes.get("gid")));
                } else {
                    int uid = request.owner().map(Owner::uid).orElse(0);
                    int gid = request.owner().map(Owner::gid).orElse(0);
                    entries.put(parent, new CopyEntry(parent, CopyEntry.Kind.DIRECTORY, Optional.empty(), null, null,
                            0755, uid, gid));
                }
                parent = PathNames.parent(parent);
            }
        }
    }
}
