package dev.jbuild.store;

import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Digester;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Reference;
import dev.jbuild.oci.VerifyingInputStream;
import dev.jbuild.store.internal.archive.DockerArchiveManifest;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Reads a docker-archive tarball (what {@code docker save} and {@code skopeo copy docker-archive:}
 * write) as a content source. Such archives hold configs and layer tars but no manifests, so each
 * image gets an OCI manifest made from its {@code manifest.json} entry; layer digests are computed
 * once when the archive is opened.
 */
public final class DockerArchiveSource implements ContentSource, Closeable {
    private final Path tarball;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entriesByName;
    private final List<ArchivedImage> images;
    private final Map<Digest, String> entryNameByDigest = new HashMap<>();
    private final Map<Digest, byte[]> manifests = new HashMap<>();

    private record ArchivedImage(List<String> repoTags, Descriptor manifest) {
    }

    private DockerArchiveSource(Path tarball, TarFile tar) throws IOException {
        this.tarball = tarball;
        this.tar = tar;
        this.entriesByName = new LinkedHashMap<>();
        for (TarArchiveEntry entry : tar.getEntries()) {
            entriesByName.put(clean(entry.getName()), entry);
        }
        TarArchiveEntry manifestEntry = entriesByName.get("manifest.json");
        if (manifestEntry == null) {
            throw new IOException(tarball + " is not a docker-archive: it has no manifest.json");
        }
        List<DockerArchiveManifest.Entry> entries;
        try (InputStream in = tar.getInputStream(manifestEntry)) {
            entries = DockerArchiveManifest.read(in.readAllBytes());
        } catch (IllegalArgumentException e) {
            throw new IOException(tarball + ": bad manifest.json: " + e.getMessage(), e);
        }
        List<ArchivedImage> found = new ArrayList<>();
        for (DockerArchiveManifest.Entry entry : entries) {
            found.add(new ArchivedImage(entry.repoTags(), synthesizeManifest(entry)));
        }
        this.images = List.copyOf(found);
    }

    /** Opens a docker-archive; reads every layer once to learn its digest. */
    public static DockerArchiveSource open(Path tarball) throws IOException {
        TarFile tar = new TarFile(tarball);
        try {
            return new DockerArchiveSource(tarball, tar);
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
    }

    /** How many images the archive holds. */
    public int imageCount() {
        return images.size();
    }

    /** The tags the archive records for its {@code index}-th image (none for an untagged one). */
    public List<String> tagsOf(int index) {
        return images.get(index).repoTags();
    }

    /** The tags recorded in the archive, image by image. */
    public List<String> tags() {
        return images.stream().flatMap(image -> image.repoTags().stream()).toList();
    }

    /**
     * The manifest of the image a tag names ({@code busybox:latest} and its normalised forms),
     * {@code @N} for the N-th image, a manifest digest, or the only image when empty.
     */
    @Override
    public Descriptor resolve(String tagOrDigest) throws IOException {
        if (tagOrDigest == null || tagOrDigest.isEmpty()) {
            if (images.size() != 1) {
                throw new IOException(tarball + " holds " + images.size() + " images: name one by tag or @INDEX");
            }
            return images.getFirst().manifest();
        }
        if (tagOrDigest.startsWith("@")) {
            int index = parseIndex(tagOrDigest);
            if (index < 0 || index >= images.size()) {
                throw new IOException(tarball + " has no image " + tagOrDigest + " (it holds " + images.size() + ")");
            }
            return images.get(index).manifest();
        }
        if (Digest.isDigest(tagOrDigest)) {
            for (ArchivedImage image : images) {
                if (image.manifest().digest().toString().equals(tagOrDigest)) {
                    return image.manifest();
                }
            }
        } else {
            for (ArchivedImage image : images) {
                for (String repoTag : image.repoTags()) {
                    if (sameTag(repoTag, tagOrDigest)) {
                        return image.manifest();
                    }
                }
            }
        }
        throw new IOException(tarball + " has no image " + tagOrDigest + " (tags: " + String.join(", ", tags()) + ")");
    }

    @Override
    public InputStream open(Descriptor descriptor) throws IOException {
        byte[] manifest = manifests.get(descriptor.digest());
        if (manifest != null) {
            return new VerifyingInputStream(new ByteArrayInputStream(manifest), descriptor.digest(), descriptor.size());
        }
        String name = entryNameByDigest.get(descriptor.digest());
        if (name == null) {
            throw new IOException(tarball + " has no blob " + descriptor.digest());
        }
        return new VerifyingInputStream(entryData(entriesByName.get(name)), descriptor.digest(), descriptor.size());
    }

    /**
     * An entry's bytes through a channel of its own: a copy reads several blobs at once, and the
     * tar file's shared channel would mix their positions (read bytes of one blob into another's).
     */
    private InputStream entryData(TarArchiveEntry entry) throws IOException {
        if (entry.isSparse()) {
            synchronized (this) {
                try (InputStream in = tar.getInputStream(entry)) {
                    return new ByteArrayInputStream(in.readAllBytes());
                }
            }
        }
        FileChannel channel = FileChannel.open(tarball, StandardOpenOption.READ);
        try {
            channel.position(entry.getDataOffset());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new EntryStream(Channels.newInputStream(channel), entry.getSize());
    }

    /** The first {@code remaining} bytes of a stream positioned at an entry's data. */
    private static final class EntryStream extends FilterInputStream {
        private long remaining;

        EntryStream(InputStream in, long size) {
            super(in);
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    private Descriptor synthesizeManifest(DockerArchiveManifest.Entry entry) throws IOException {
        byte[] config = readEntry(entry.config());
        Digest configDigest = Digest.sha256(config);
        entryNameByDigest.put(configDigest, clean(entry.config()));
        try {
            ImageConfig parsed = ImageConfig.parse(config);
            if (parsed.rootfs().diffIds().size() != entry.layers().size()) {
                throw new IOException(tarball + ": config " + entry.config() + " lists "
                        + parsed.rootfs().diffIds().size() + " layers but manifest.json lists " + entry.layers().size());
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(tarball + ": bad config " + entry.config() + ": " + e.getMessage(), e);
        }
        List<Descriptor> layers = new ArrayList<>();
        for (String layerName : entry.layers()) {
            layers.add(layerDescriptor(layerName));
        }
        Manifest manifest = Manifest.of(false, new Descriptor(MediaType.OCI_CONFIG, configDigest, config.length),
                layers);
        byte[] bytes = manifest.toJson();
        Digest digest = Digest.sha256(bytes);
        manifests.put(digest, bytes);
        return new Descriptor(MediaType.OCI_MANIFEST, digest, bytes.length);
    }

    private Descriptor layerDescriptor(String layerName) throws IOException {
        TarArchiveEntry entry = entry(layerName);
        Digester digester = Digester.sha256();
        byte[] head = new byte[4];
        int headLength = 0;
        try (InputStream in = digester.wrap(tar.getInputStream(entry))) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                while (headLength < head.length && n > headLength) {
                    head[headLength] = buffer[headLength];
                    headLength++;
                }
            }
        }
        Digest digest = digester.digest();
        entryNameByDigest.put(digest, clean(layerName));
        return new Descriptor(layerMediaType(head, headLength), digest, digester.size());
    }

    private static String layerMediaType(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return MediaType.OCI_LAYER_GZIP;
        }
        if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return MediaType.OCI_LAYER_ZSTD;
        }
        return MediaType.OCI_LAYER_TAR;
    }

    private byte[] readEntry(String name) throws IOException {
        try (InputStream in = tar.getInputStream(entry(name))) {
            return in.readAllBytes();
        }
    }

    private TarArchiveEntry entry(String name) throws IOException {
        TarArchiveEntry entry = entriesByName.get(clean(name));
        if (entry == null || !entry.isFile()) {
            throw new IOException(tarball + ": manifest.json names " + name + ", which the archive does not hold");
        }
        return entry;
    }

    private static String clean(String name) {
        String cleaned = name;
        while (cleaned.startsWith("./")) {
            cleaned = cleaned.substring(2);
        }
        return cleaned;
    }

    private static int parseIndex(String text) throws IOException {
        try {
            return Integer.parseInt(text.substring(1));
        } catch (NumberFormatException e) {
            throw new IOException("bad image index " + text + ": expected @N");
        }
    }

    private static boolean sameTag(String recorded, String wanted) {
        if (recorded.equals(wanted)) {
            return true;
        }
        try {
            return Reference.parse(recorded).equals(Reference.parse(wanted));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
