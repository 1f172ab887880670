package dev.jbuild.store.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Optional;

/**
 * Records under one directory of the store, each naming a descriptor by a key: the build cache in
 * {@code cache/} (a key names the manifest of the image a build step produced) and the gzip blobs
 * of uncompressed layers in {@code compressed/}. Each record is a one-entry OCI index in
 * {@code <directory>/<sha256 of key>}, so the same reachability walk can follow it.
 */
public final class CacheRecords {
    private final Path directory;

    public CacheRecords(Path directory) {
        this.directory = directory;
    }

    public void put(String key, Descriptor result) throws IOException {
        Files.createDirectories(directory);
        Durable.replaceFile(fileOf(key), Index.of(false, List.of(result)).toJson());
    }

    /** The record of {@code key}; none when there is no record or it cannot be read (fsck names those). */
    public Optional<Descriptor> get(String key) throws IOException {
        try {
            List<Descriptor> entries = Index.parse(Files.readAllBytes(fileOf(key))).manifests();
            return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getFirst());
        } catch (NoSuchFileException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean remove(String key) throws IOException {
        return Files.deleteIfExists(fileOf(key));
    }

    /** Every record's result descriptor by record file name; unreadable records are skipped (fsck names them). */
    public Map<String, Descriptor> all() throws IOException {
        Map<String, Descriptor> records = new LinkedHashMap<>();
        for (Entry<String, Optional<Descriptor>> entry : read().entrySet()) {
            entry.getValue().ifPresent(descriptor -> records.put(entry.getKey(), descriptor));
        }
        return records;
    }

    /** The directory the records are in. */
    public Path directory() {
        return directory;
    }

    /** Removes the record file {@code name} (a name {@link #read} lists); true when it existed. */
    public boolean removeFile(String name) throws IOException {
        return Files.deleteIfExists(directory.resolve(name));
    }

    /** Every record file, with its descriptor or empty when it cannot be parsed. */
    public Map<String, Optional<Descriptor>> read() throws IOException {
        Map<String, Optional<Descriptor>> records = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            return records;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(Durable.TEMP_PREFIX)) {
                    continue;
                }
                try {
                    List<Descriptor> entries = Index.parse(Files.readAllBytes(file)).manifests();
                    records.put(name, entries.isEmpty() ? Optional.empty() : Optional.of(entries.getFirst()));
                } catch (RuntimeException e) {
                    records.put(name, Optional.empty());
                }
            }
        }
        return records;
    }

    private Path fileOf(String key) {
        return directory.resolve(Digest.sha256(key.getBytes(StandardCharsets.UTF_8)).encoded());
    }
}
