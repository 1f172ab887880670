package dev.jbuild.store;

import dev.jbuild.oci.Digest;
import dev.jbuild.store.internal.Durable;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sha256 digests of files' content below one directory (a build context), remembered between
 * builds by each file's identity: device, inode, size, mtime and ctime. A cached rebuild then reads
 * no file the user has not changed, as BuildKit's content-hash cache does.
 *
 * <p>ctime is what makes this safe: the kernel sets it to the current time on every change to a
 * file's content or metadata, and no call sets it back. A digest is remembered only for a file whose
 * ctime is older than {@link #SETTLED} before this object was made, so a change made later, even
 * within the file system's timestamp granularity, gives a different ctime. Files outside the
 * directory are hashed every time and never remembered.
 */
public final class FileDigests {
    /** How long ago a file must have last changed for its digest to be remembered; covers whole-second timestamps. */
    static final Duration SETTLED = Duration.ofSeconds(2);
    private static final String FORMAT = "jbuild file digests 1";

    private final Path root;
    private final String rootPrefix;
    private final Optional<Path> record;
    private final boolean reuse;
    private final FileTime settledBefore;
    /** The record's digests, read at the first digest asked for: a build copying nothing from the context reads none. */
    private Map<String, Remembered> loaded;
    private final Map<String, Remembered> current = new ConcurrentHashMap<>();
    private final AtomicBoolean changed = new AtomicBoolean();

    private FileDigests(Path root, Optional<Path> record, boolean reuse, Instant now) {
        this.root = root.toAbsolutePath().normalize();
        this.rootPrefix = this.root.toString().endsWith("/") ? this.root.toString() : this.root + "/";
        this.record = record;
        this.reuse = reuse;
        this.settledBefore = FileTime.from(now.minus(SETTLED));
    }

    /**
     * The digests of files below {@code root} remembered in the file {@code record} (missing or
     * unreadable: none); {@code reuse} false hashes every file again and remembers the new digests.
     */
    static FileDigests open(Path root, Path record, boolean reuse) {
        return open(root, record, reuse, Instant.now());
    }

    /**
     * {@link #open(Path, Path, boolean)} as if it were {@code now}: files that changed before
     * {@code now} minus {@link #SETTLED} are remembered.
     */
    static FileDigests open(Path root, Path record, boolean reuse, Instant now) {
        return new FileDigests(root, Optional.of(record), reuse, now);
    }

    /** Digests that are computed every time and remembered nowhere (a context extracted for one build only). */
    public static FileDigests none() {
        return new FileDigests(Path.of("/"), Optional.empty(), false, Instant.now());
    }

    /**
     * The digest of the regular file {@code file}'s content, whose identity the caller has just read;
     * the content is read only when the file changed since its digest was remembered.
     */
    public Digest digest(Path file, Identity identity) throws IOException {
        Path absolute = file.isAbsolute() ? file : file.toAbsolutePath();
        String path = absolute.toString();
        if (record.isEmpty() || !path.startsWith(rootPrefix) || path.contains("/../") || path.contains("/./")) {
            return Digest.sha256(absolute);
        }
        String key = path.substring(rootPrefix.length());
        Identity before = identity;
        Remembered known = current.get(key);
        if (known == null && reuse) {
            known = loaded().get(key);
        }
        if (known != null && known.identity().sameContent(before)) {
            current.put(key, known);
            return known.digest();
        }
        Digest digest = Digest.sha256(absolute);
        if (before.ctime().compareTo(settledBefore) < 0 && before.sameContent(Identity.of(absolute))) {
            current.put(key, new Remembered(before, digest));
            changed.set(true);
        }
        return digest;
    }

    /**
     * Writes what this build learnt to the record, atomically, when it learnt anything: the digests
     * it used, and those remembered before of files that are still unchanged (a build that copies
     * part of the context forgets nothing of the rest). Files that are gone drop out.
     */
    public void save() throws IOException {
        if (record.isEmpty() || (readSoFar().isEmpty() && current.isEmpty())) {
            return;
        }
        Map<String, Remembered> kept = new HashMap<>();
        for (Map.Entry<String, Remembered> old : loaded().entrySet()) {
            if (!current.containsKey(old.getKey())) {
                if (stillMatches(old.getKey(), old.getValue())) {
                    kept.put(old.getKey(), old.getValue());
                } else {
                    changed.set(true);
                }
            }
        }
        if (!changed.get()) {
            return;
        }
        kept.putAll(current);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(FORMAT);
            out.writeUTF(root.toString());
            out.writeInt(kept.size());
            for (Map.Entry<String, Remembered> entry : kept.entrySet()) {
                out.writeUTF(entry.getKey());
                entry.getValue().identity().write(out);
                out.writeUTF(entry.getValue().digest().encoded());
            }
        }
        Files.createDirectories(record.get().getParent());
        Durable.replaceFile(record.get(), bytes.toByteArray());
    }

    private synchronized Map<String, Remembered> loaded() {
        if (loaded == null) {
            loaded = reuse ? read(record.orElseThrow(), root) : Map.of();
        }
        return loaded;
    }

    private synchronized Optional<Map<String, Remembered>> readSoFar() {
        return Optional.ofNullable(loaded);
    }

    private boolean stillMatches(String key, Remembered remembered) {
        try {
            return remembered.identity().sameContent(Identity.of(root.resolve(key)));
        } catch (IOException goneOrUnreadable) {
            return false;
        }
    }

    /**
     * Removes the records in {@code directory} whose directory is gone or that cannot be read, and
     * temporary files of replacements older than {@code cutoff}; returns how many it removed.
     */
    static long removeForgotten(Path directory, FileTime cutoff) throws IOException {
        return Durable.removeRecords(directory, cutoff, record -> rootOf(record).filter(Files::isDirectory).isEmpty());
    }

    private static Optional<Path> rootOf(Path record) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(record)))) {
            return in.readUTF().equals(FORMAT) ? Optional.of(Path.of(in.readUTF())) : Optional.empty();
        } catch (IOException | InvalidPathException unreadable) {
            return Optional.empty();
        }
    }

    private static Map<String, Remembered> read(Path record, Path root) {
        Map<String, Remembered> entries = new ConcurrentHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(record), 64 * 1024))) {
            if (!in.readUTF().equals(FORMAT) || !in.readUTF().equals(root.toString())) {
                return Map.of();
            }
            for (int count = in.readInt(); count > 0; count--) {
                String key = in.readUTF();
                Identity identity = Identity.read(in);
                entries.put(key, new Remembered(identity, new Digest(Digest.SHA256, in.readUTF())));
            }
            return entries;
        } catch (NoSuchFileException none) {
            return Map.of();
        } catch (IOException | IllegalArgumentException unreadable) {
            // a cache: a torn or foreign record only means every file is read again
            return Map.of();
        }
    }

    /**
     * What identifies one version of a file's content: a change to any of it means the content may
     * differ. {@code links} is the file's number of hard links, which is not part of it.
     */
    public record Identity(long device, long inode, long size, FileTime mtime, FileTime ctime, int links) {
        /** The identity of {@code file} now, not following a final symbolic link. */
        public static Identity of(Path file) throws IOException {
            Map<String, Object> attributes = Files.readAttributes(file,
                    "unix:dev,ino,size,lastModifiedTime,ctime,nlink", LinkOption.NOFOLLOW_LINKS);
            return new Identity((Long) attributes.get("dev"), (Long) attributes.get("ino"),
                    (Long) attributes.get("size"), (FileTime) attributes.get("lastModifiedTime"),
                    (FileTime) attributes.get("ctime"), (Integer) attributes.get("nlink"));
        }

        /** True when both are the same version of the same file, whatever its links. */
        public boolean sameContent(Identity other) {
            return device == other.device && inode == other.inode && size == other.size && mtime.equals(other.mtime)
                    && ctime.equals(other.ctime);
        }

        static Identity read(DataInputStream in) throws IOException {
            return new Identity(in.readLong(), in.readLong(), in.readLong(), nanos(in.readLong()), nanos(in.readLong()), 0);
        }

        void write(DataOutputStream out) throws IOException {
            out.writeLong(device);
            out.writeLong(inode);
            out.writeLong(size);
            out.writeLong(mtime.to(TimeUnit.NANOSECONDS));
            out.writeLong(ctime.to(TimeUnit.NANOSECONDS));
        }

        private static FileTime nanos(long value) {
            return FileTime.from(value, TimeUnit.NANOSECONDS);
        }
    }

    private record Remembered(Identity identity, Digest digest) {
    }
}
