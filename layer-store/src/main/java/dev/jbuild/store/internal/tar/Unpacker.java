package dev.jbuild.store.internal.tar;

import dev.jbuild.oci.Digester;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.ApplyOptions;
import dev.jbuild.store.ApplyResult;
import dev.jbuild.store.FileOwner;
import dev.jbuild.store.LayerRejectedException;
import dev.jbuild.store.internal.fs.FileStat;
import dev.jbuild.store.internal.fs.LowerLayers;
import dev.jbuild.store.internal.fs.Posix;
import dev.jbuild.store.internal.fs.PosixException;
import dev.jbuild.store.internal.fs.RootedResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Applies one layer tar to a root directory; see {@link dev.jbuild.store.LayerApplier} for the rules. */
public final class Unpacker {
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE_MARKER = ".wh..wh..opq";
    private static final int MAX_WARNINGS = 100;

    private final Path root;
    private final ApplyMode mode;
    private final ApplyOptions options;
    private final RootedResolver resolver;
    private final List<Path> lowerLayers;
    private final boolean privileged = Posix.euid() == 0;
    private final Set<Path> written = new HashSet<>();
    private final Map<Path, DirectoryMetadata> directories = new LinkedHashMap<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Map<String, FileOwner> unappliedOwners = new HashMap<>();
    private final Set<String> warningKinds = new HashSet<>();
    private final byte[] buffer = new byte[256 * 1024];
    private long rootUid = -1;
    private long rootGid = -1;

    private record DirectoryMetadata(int mode, long mtimeSeconds) {
    }

    /**
     * An unpacker into {@code root}; {@code lowerLayers} (topmost first, overlay form) are where an
     * {@link ApplyMode#OVERLAY_LOWER} unpack finds the targets of hardlinks into earlier layers.
     */
    public Unpacker(Path root, ApplyMode mode, ApplyOptions options, List<Path> lowerLayers) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotDirectoryException(root.toString());
        }
        this.root = root.toRealPath();
        this.mode = mode;
        this.options = options;
        this.resolver = new RootedResolver(this.root);
        this.lowerLayers = List.copyOf(lowerLayers);
    }

    /** Applies the layer in {@code blob} (plain, gzip or zstd) and reports its diffID. */
    public ApplyResult apply(InputStream blob) throws IOException {
        Digester diffId = Digester.sha256();
        long entries = 0;
        try (InputStream tar = new ReadAheadInputStream(diffId.wrap(LayerStreams.uncompressed(blob,
                options.maxExpansionRatio(), options.ratioGraceBytes(), options.maxUncompressedBytes())))) {
            TarReader reader = new TarReader(tar, options.maxExtensionHeaderBytes());
            TarEntry entry;
            while ((entry = reader.next()) != null) {
                apply(entry, reader);
                entries++;
            }
            tar.transferTo(OutputStream.nullOutputStream());
        } catch (LayerStreams.ExpansionLimitException e) {
            throw new LayerRejectedException("(stream)", e.getMessage(), e);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new LayerRejectedException("(stream)", "corrupt or truncated compressed layer: " + e.getMessage(), e);
        }
        finishDirectories();
        return new ApplyResult(diffId.digest(), diffId.size(), entries, List.copyOf(warnings), unappliedOwners);
    }

    private void apply(TarEntry entry, TarReader reader) throws IOException {
        List<String> parts = RootedResolver.components(entry.name());
        if (parts.isEmpty()) {
            if (entry.type() != TarEntry.EntryType.DIRECTORY) {
                throw new LayerRejectedException(entry.name(), "entry would replace the root directory");
            }
            directories.put(root, new DirectoryMetadata(entry.mode(), entry.mtimeSeconds()));
            applyOwnerAndXattrs(root, entry);
            return;
        }
        String base = parts.getLast();
        List<String> parentParts = parts.subList(0, parts.size() - 1);
        if (base.startsWith(WHITEOUT_PREFIX)) {
            whiteout(entry, parentParts, base);
            return;
        }
        Path parent = resolver.directory(parentParts, true, entry.name()).orElseThrow();
        Path target = parent.resolve(base);
        BasicFileAttributes existing = RootedResolver.lstat(target);
        switch (entry.type()) {
            case DIRECTORY -> {
                if (existing == null || !existing.isDirectory()) {
                    remove(target, existing);
                    Files.createDirectory(target);
                }
                directories.put(target, new DirectoryMetadata(entry.mode(), entry.mtimeSeconds()));
                applyOwnerAndXattrs(target, entry);
                markWritten(target);
                return;
            }
            case REGULAR -> {
                remove(target, existing);
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    int n;
                    while ((n = reader.read(buffer, 0, buffer.length)) > 0) {
                        out.write(buffer, 0, n);
                    }
                }
            }
            case SYMLINK -> {
                if (entry.linkName().isEmpty()) {
                    throw new LayerRejectedException(entry.name(), "symlink with an empty target");
                }
                remove(target, existing);
                Files.createSymbolicLink(target, Path.of(entry.linkName()));
                resolver.invalidate();
            }
            case HARDLINK -> {
                hardlink(entry, target, existing);
                return;
            }
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                if (!privileged) {
                    warn("device nodes need root: skipped " + entry.name());
                    return;
                }
                remove(target, existing);
                int type = entry.type() == TarEntry.EntryType.CHAR_DEVICE ? Posix.S_IFCHR : Posix.S_IFBLK;
                try {
                    Posix.mknod(target, type | (entry.mode() & 07777), entry.devMajor(), entry.devMinor());
                } catch (PosixException e) {
                    if (e.errno() != Posix.EPERM) {
                        throw e;
                    }
                    warn("creating device nodes is not permitted here: skipped " + entry.name());
                    return;
                }
            }
            case FIFO -> {
                remove(target, existing);
                Posix.mknod(target, Posix.S_IFIFO | (entry.mode() & 07777), 0, 0);
            }
            case OTHER -> {
                warn("unsupported entry type skipped: " + entry.name());
                return;
            }
        }
        directories.remove(target);
        markWritten(target);
        applyOwnerAndXattrs(target, entry);
        if (entry.type() != TarEntry.EntryType.SYMLINK) {
            Posix.chmod(target, entry.mode());
        }
        Posix.lutimes(target, entry.mtimeSeconds(), 0);
    }

    private void whiteout(TarEntry entry, List<String> parentParts, String base) throws IOException {
        if (base.equals(OPAQUE_MARKER)) {
            Optional<Path> parent = resolver.directory(parentParts, mode == ApplyMode.OVERLAY_LOWER, entry.name());
            if (parent.isEmpty()) {
                return;
            }
            if (mode == ApplyMode.OVERLAY_LOWER) {
                Posix.lsetxattr(parent.get(), "user.overlay.opaque", new byte[] {'y'});
            } else {
                try (Stream<Path> children = Files.list(parent.get())) {
                    for (Path child : children.toList()) {
                        if (!written.contains(child)) {
                            remove(child, RootedResolver.lstat(child));
                        }
                    }
                }
            }
            return;
        }
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..") || hidden.startsWith(WHITEOUT_PREFIX)) {
            throw new LayerRejectedException(entry.name(), "invalid whiteout of \"" + hidden + "\"");
        }
        Optional<Path> parent = resolver.directory(parentParts, mode == ApplyMode.OVERLAY_LOWER, entry.name());
        if (parent.isEmpty()) {
            return;
        }
        Path target = parent.get().resolve(hidden);
        BasicFileAttributes existing = RootedResolver.lstat(target);
        if (mode == ApplyMode.FLATTEN) {
            if (!written.contains(target)) {
                remove(target, existing);
            }
            return;
        }
        remove(target, existing);
        Posix.mknod(target, Posix.S_IFCHR, 0, 0);
        directories.remove(target);
        markWritten(target);
    }

    private void hardlink(TarEntry entry, Path target, BasicFileAttributes existing) throws IOException {
        List<String> linkParts;
        try {
            linkParts = RootedResolver.components(entry.linkName());
        } catch (LayerRejectedException e) {
            throw new LayerRejectedException(entry.name(), "hardlink target \"" + entry.linkName() + "\": "
                    + e.reason());
        }
        if (linkParts.isEmpty()) {
            throw new LayerRejectedException(entry.name(), "hardlink to the root directory");
        }
        Optional<Path> linkParent = resolver.directory(linkParts.subList(0, linkParts.size() - 1), false,
                entry.name());
        Path source = linkParent.map(p -> p.resolve(linkParts.getLast())).orElse(null);
        BasicFileAttributes sourceAttributes = source == null ? null : RootedResolver.lstat(source);
        if (sourceAttributes == null && mode == ApplyMode.OVERLAY_LOWER) {
            Optional<Path> below = findBelow(linkParts, entry.name());
            if (below.isPresent()) {
                copyFromBelow(below.get(), target, existing);
                return;
            }
        }
        if (sourceAttributes == null) {
            throw new LayerRejectedException(entry.name(), "hardlink target \"" + entry.linkName() + "\" does not exist");
        }
        if (sourceAttributes.isDirectory()) {
            throw new LayerRejectedException(entry.name(), "hardlink to directory \"" + entry.linkName() + "\"");
        }
        if (source.equals(target)) {
            return;
        }
        if (existing != null && existing.fileKey() != null && existing.fileKey().equals(sourceAttributes.fileKey())) {
            return;
        }
        remove(target, existing);
        Files.createLink(target, source);
        directories.remove(target);
        markWritten(target);
    }

    /** The topmost visible copy of {@code parts} in the lower layers, if a lower layer has it. */
    private Optional<Path> findBelow(List<String> parts, String entry) throws IOException {
        String path = String.join("/", parts);
        if (lowerLayers.isEmpty() || !new LowerLayers(lowerLayers, "user.overlay.opaque").exists(path, false)) {
            return Optional.empty();
        }
        for (Path layer : lowerLayers) {
            Optional<Path> parent = new RootedResolver(layer).directory(parts.subList(0, parts.size() - 1), false,
                    entry);
            if (parent.isPresent()) {
                Path candidate = parent.get().resolve(parts.getLast());
                BasicFileAttributes attributes = RootedResolver.lstat(candidate);
                if (attributes != null && !attributes.isDirectory() && !FileStat.of(candidate).isWhiteout()) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A hardlink into an earlier layer cannot cross overlay lowerdirs, so the file is copied with its
     * metadata: the merged view shows the same content, only as a separate inode.
     */
    private void copyFromBelow(Path source, Path target, BasicFileAttributes existing) throws IOException {
        remove(target, existing);
        Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
        FileStat stat = FileStat.of(source);
        if (privileged) {
            Posix.lchown(target, stat.uid(), stat.gid());
        }
        for (String name : Posix.llistxattr(source)) {
            if (!name.startsWith("user.overlay.") && !name.startsWith("trusted.overlay.")) {
                Optional<byte[]> value = Posix.lgetxattr(source, name);
                if (value.isPresent()) {
                    Posix.lsetxattr(target, name, value.get());
                }
            }
        }
        if (!stat.isSymlink()) {
            Posix.chmod(target, stat.mode());
        }
        Posix.lutimes(target, stat.mtimeSeconds(), stat.mtimeNanos());
        directories.remove(target);
        markWritten(target);
    }

    private void applyOwnerAndXattrs(Path target, TarEntry entry) throws IOException {
        if (privileged) {
            try {
                Posix.lchown(target, (int) entry.uid(), (int) entry.gid());
            } catch (PosixException e) {
                if (e.errno() != Posix.EPERM && e.errno() != Posix.EINVAL) {
                    throw e;
                }
                warnOnce("chown", "ownership could not be applied (ids not mapped here), first at " + entry.name());
                recordUnappliedOwner(target, entry);
            }
        } else {
            if (entry.uid() != rootUid() || entry.gid() != rootGid()) {
                warnOnce("chown", "not running as root: file ownership from the layer is not applied, first at " + entry.name());
            }
            recordUnappliedOwner(target, entry);
        }
        for (Map.Entry<String, byte[]> xattr : entry.xattrs().entrySet()) {
            String name = xattr.getKey();
            if (name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")) {
                warn("overlay xattr " + name + " from the layer ignored at " + entry.name());
                continue;
            }
            try {
                Posix.lsetxattr(target, name, xattr.getValue());
            } catch (PosixException e) {
                if (e.errno() != Posix.EPERM && e.errno() != Posix.EOPNOTSUPP) {
                    throw e;
                }
                warnOnce("xattr " + name, "xattr " + name + " could not be set here, first at " + entry.name());
            }
        }
    }

    private void recordUnappliedOwner(Path target, TarEntry entry) {
        if (entry.uid() <= Integer.MAX_VALUE && entry.gid() <= Integer.MAX_VALUE) {
            unappliedOwners.put(root.relativize(target).toString(), new FileOwner((int) entry.uid(), (int) entry.gid()));
        }
    }

    private long rootUid() throws IOException {
        if (rootUid < 0) {
            rootUid = ((Number) Files.getAttribute(root, "unix:uid")).longValue();
            rootGid = ((Number) Files.getAttribute(root, "unix:gid")).longValue();
        }
        return rootUid;
    }

    private long rootGid() throws IOException {
        rootUid();
        return rootGid;
    }

    private void remove(Path target, BasicFileAttributes existing) throws IOException {
        if (existing == null) {
            return;
        }
        resolver.invalidate();
        if (!existing.isDirectory()) {
            Files.delete(target);
            directories.remove(target);
            return;
        }
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                written.remove(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                directories.remove(dir);
                written.remove(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void finishDirectories() throws IOException {
        List<Path> paths = new ArrayList<>(directories.keySet());
        paths.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
        for (Path dir : paths) {
            DirectoryMetadata metadata = directories.get(dir);
            Posix.chmod(dir, metadata.mode());
            Posix.lutimes(dir, metadata.mtimeSeconds(), 0);
        }
    }

    /** Remembers what this layer wrote, so its own whiteouts and opaque markers spare it (flattening only). */
    private void markWritten(Path path) {
        if (mode == ApplyMode.FLATTEN) {
            written.add(path);
        }
    }

    private void warn(String message) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(message);
        }
    }

    /** Warns only the first time {@code kind} happens: one missing privilege is one message, not thousands. */
    private void warnOnce(String kind, String message) {
        if (warningKinds.add(kind)) {
            warn(message);
        }
    }
}
