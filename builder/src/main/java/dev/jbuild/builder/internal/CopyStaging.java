package dev.jbuild.builder.internal;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Digester;
import dev.jbuild.store.CopiedFiles;
import dev.jbuild.store.FileDigests;
import dev.jbuild.store.FileOwner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns planned {@link CopyEntry}s into a directory tree (the new layer's content, with owners,
 * modes and source mtimes) and computes their content digest for the cache key: paths, kinds,
 * modes, owners, link targets and bytes, never mtimes.
 */
public final class CopyStaging {
    private CopyStaging() {
    }

    /**
     * The digest of what {@code entries} would write; equal entries give equal digests whatever their
     * mtimes. The content of files from {@code files} is read only when it changed since it was last hashed.
     */
    public static Digest contentDigest(List<CopyEntry> entries, FileDigests files) throws IOException {
        Digester digester = Digester.sha256();
        Map<String, FileDigests.Identity> identities = identities(entries);
        Map<String, String> hardlinks = hardlinks(entries, identities);
        for (CopyEntry entry : entries) {
            String header = entry.path() + "\0" + entry.kind() + "\0" + Integer.toOctalString(entry.mode()) + "\0"
                    + entry.uid() + ":" + entry.gid() + "\0" + entry.link() + "\0"
                    + hardlinks.getOrDefault(entry.path(), "") + "\0";
            byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
            digester.update(bytes, 0, bytes.length);
            if (entry.kind() == CopyEntry.Kind.FILE) {
                Digest content = entry.source().isPresent()
                        ? files.digest(entry.source().get(), identities.get(entry.path()))
                        : Digest.sha256(entry.content());
                byte[] hash = content.toString().getBytes(StandardCharsets.US_ASCII);
                digester.update(hash, 0, hash.length);
            }
            digester.update(new byte[] {'\n'}, 0, 1);
        }
        return digester.digest();
    }

    /**
     * What staging wrote: every entry's owner by path, for the layer writer (without the right to
     * chown, in a rootless build, the files on disk keep the builder's owner, and the layer still
     * records the owners the entries ask for); and the identity of each file's source that did not
     * change while it was staged, by path, for {@link dev.jbuild.store.CopiedFiles}.
     */
    public record Staged(Map<String, FileOwner> owners, Map<String, FileDigests.Identity> sources) {
        public Staged {
            owners = Map.copyOf(owners);
            sources = Map.copyOf(sources);
        }
    }

    /**
     * Where staging may hard-link a file from instead of copying it. A link gives what a copy would: the
     * same bytes, mode, owner, mtime and extended attributes.
     */
    public sealed interface Reuse {
        /** Every file is copied. */
        Reuse NONE = new Earlier(Optional.empty());

        /**
         * Sources in directories of the host, some of which an earlier build of the step copied into a
         * layer that is still unpacked: a file whose source has not changed since is linked from there.
         */
        record Earlier(Optional<CopiedFiles> copied) implements Reuse {
        }

        /**
         * Sources that are files of unpacked layers (another stage, an image), which never change once
         * published: a file that already has the entry's owner and mode is linked from its source, unless
         * its layer is one of {@code stack}, the unpacked layers the copy goes on top of, where the steps'
         * overlay would show the one inode at two paths (which tar and cp -a in a RUN step take for hard links).
         */
        record LayerFiles(Set<Path> stack) implements Reuse {
            public LayerFiles {
                stack = Set.copyOf(stack);
            }
        }
    }

    /**
     * Writes {@code entries} below {@code root}; {@code createdTime} is the mtime of what has no source
     * (created directories, heredoc files).
     */
    public static Map<String, FileOwner> write(List<CopyEntry> entries, Path root, FileTime createdTime)
            throws IOException {
        return write(entries, root, createdTime, Reuse.NONE).owners();
    }

    /**
     * Writes {@code entries} below {@code root} as {@link #write(List, Path, FileTime)} does, linking the
     * files that {@code reuse} allows instead of copying them.
     */
    public static Staged write(List<CopyEntry> entries, Path root, FileTime createdTime, Reuse reuse)
            throws IOException {
        Map<String, FileOwner> owners = new HashMap<>();
        Map<String, FileDigests.Identity> sources = new HashMap<>();
        List<CopyEntry> directories = new ArrayList<>();
        Map<String, FileDigests.Identity> identities = identities(entries);
        Map<String, String> hardlinks = hardlinks(entries, identities);
        for (CopyEntry entry : entries) {
            Path target = root.resolve(entry.path());
            Files.createDirectories(target.getParent());
            switch (entry.kind()) {
                case DIRECTORY -> {
                    Files.createDirectories(target);
                    directories.add(entry);
                }
                case FILE -> {
                    Files.deleteIfExists(target);
                    if (hardlinks.containsKey(entry.path())) {
                        Files.createLink(target, root.resolve(hardlinks.get(entry.path())));
                    } else if (entry.source().isPresent()) {
                        FileDigests.Identity before = identities.get(entry.path());
                        if (linked(linkable(reuse, entry, before), target, before)) {
                            // the linked file has this entry's owner and mode already: it is left untouched
                            owners.put(entry.path(), new FileOwner(entry.uid(), entry.gid()));
                            sources.put(entry.path(), before);
                            continue;
                        }
                        Files.copy(entry.source().get(), target, StandardCopyOption.COPY_ATTRIBUTES);
                        if (before.links() == 1 && before.sameContent(FileDigests.Identity.of(entry.source().get()))) {
                            sources.put(entry.path(), before);
                        }
                    } else {
                        Files.write(target, entry.content());
                        Files.setLastModifiedTime(target, createdTime);
                    }
                }
                case SYMLINK -> {
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(entry.link()));
                }
            }
            setOwner(target, entry.uid(), entry.gid());
            owners.put(entry.path(), new FileOwner(entry.uid(), entry.gid()));
            if (entry.kind() != CopyEntry.Kind.SYMLINK) {
                Files.setAttribute(target, "unix:mode", entry.mode(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        for (int i = directories.size() - 1; i >= 0; i--) {
            CopyEntry directory = directories.get(i);
            FileTime time = directory.source().isPresent()
                    ? Files.getLastModifiedTime(directory.source().get(), LinkOption.NOFOLLOW_LINKS)
                    : createdTime;
            Files.setLastModifiedTime(root.resolve(directory.path()), time);
        }
        return new Staged(owners, sources);
    }

    /** The file {@code reuse} allows {@code entry}, whose source has the identity {@code source}, to be linked from. */
    private static Optional<Path> linkable(Reuse reuse, CopyEntry entry, FileDigests.Identity source) throws IOException {
        return switch (reuse) {
            case Reuse.Earlier earlier -> source.links() == 1 && earlier.copied().isPresent()
                    ? earlier.copied().get().unchanged(entry.path(), source) : Optional.empty();
            case Reuse.LayerFiles layerFiles -> {
                Path file = entry.source().orElseThrow();
                if (layerFiles.stack().stream().anyMatch(file::startsWith)) {
                    yield Optional.empty();
                }
                Map<String, Object> attributes = Files.readAttributes(file, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                yield (Integer) attributes.get("uid") == entry.uid() && (Integer) attributes.get("gid") == entry.gid()
                        && ((Integer) attributes.get("mode") & 07777) == (entry.mode() & 07777)
                        ? entry.source() : Optional.empty();
            }
        };
    }

    /**
     * Links {@code target} to {@code file}, a file with the content of a source that has the identity
     * {@code source}, when it is a regular file with the source's size and mtime; false (and nothing
     * made) when there is none, it is gone (a prune removed its layer meanwhile) or it cannot take
     * another link (too many links, another file system).
     */
    private static boolean linked(Optional<Path> file, Path target, FileDigests.Identity source) throws IOException {
        if (file.isEmpty()) {
            return false;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file.get(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || attributes.size() != source.size()
                    || !attributes.lastModifiedTime().equals(source.mtime())) {
                return false;
            }
            Files.createLink(target, file.get());
            return true;
        } catch (FileSystemException goneOrNotLinkable) {
            return false;
        }
    }

    /**
     * The file entries whose sources are hard links of an earlier entry's source (the same inode),
     * mapped to that earlier entry's path: they are staged, and so written, as hard links to it.
     */
    static Map<String, String> hardlinks(List<CopyEntry> entries) throws IOException {
        return hardlinks(entries, identities(entries));
    }

    private static Map<String, String> hardlinks(List<CopyEntry> entries, Map<String, FileDigests.Identity> identities) {
        Map<String, String> linked = new HashMap<>();
        Map<List<Long>, String> firstPathOfInode = new HashMap<>();
        for (CopyEntry entry : entries) {
            FileDigests.Identity identity = identities.get(entry.path());
            if (identity != null && identity.links() > 1) {
                String first = firstPathOfInode.putIfAbsent(List.of(identity.device(), identity.inode()), entry.path());
                if (first != null) {
                    linked.put(entry.path(), first);
                }
            }
        }
        return linked;
    }

    /** The identity of each file entry's source, by the entry's path, read once for the hard links and the digests. */
    private static Map<String, FileDigests.Identity> identities(List<CopyEntry> entries) throws IOException {
        Map<String, FileDigests.Identity> identities = new HashMap<>();
        for (CopyEntry entry : entries) {
            if (entry.kind() == CopyEntry.Kind.FILE && entry.source().isPresent()) {
                identities.put(entry.path(), FileDigests.Identity.of(entry.source().get()));
            }
        }
        return identities;
    }

    private static void setOwner(Path target, int uid, int gid) throws IOException {
        Integer currentUid = (Integer) Files.getAttribute(target, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Integer currentGid = (Integer) Files.getAttribute(target, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        try {
            if (currentUid != uid) {
                Files.setAttribute(target, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            }
            if (currentGid != gid) {
                Files.setAttribute(target, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (FileSystemException notPermitted) {
            // EPERM or EINVAL (ids not mapped) without CAP_CHOWN: the owner reaches the layer through the writer's overrides
        }
    }
}
