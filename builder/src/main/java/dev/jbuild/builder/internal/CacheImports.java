package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.CacheLocation;
import dev.jbuild.builder.ProgressListener;
import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared caches of {@code --cache-from}. Their indexes are read once, at the build's first step
 * the store's own cache misses; a step found in one is copied into the store, and the caller records
 * it as if it had been built here. A cache that cannot be read is reported and left out, as BuildKit
 * does: the build goes on without it.
 */
final class CacheImports implements AutoCloseable {
    private final Store store;
    private final List<CacheLocation> locations;
    private final RegistryOptions registryOptions;
    private final ProgressListener progress;
    private Registry registry;
    private Map<Digest, Entry> entries;

    /** A step result one cache holds, and where to copy it from. */
    private record Entry(CacheLocation location, ContentSource source, Descriptor manifest) {
    }

    CacheImports(Store store, List<CacheLocation> locations, RegistryOptions registryOptions, ProgressListener progress) {
        this.store = store;
        this.locations = List.copyOf(locations);
        this.registryOptions = registryOptions;
        this.progress = progress;
    }

    /**
     * Copies the result of the step with {@code key} from the first cache that has it into the store;
     * returns its manifest there, or empty when no cache has it or it could not be copied.
     */
    Optional<Descriptor> fetch(Digest key) {
        if (locations.isEmpty()) {
            return Optional.empty();
        }
        Entry entry = entries().get(key);
        if (entry == null) {
            return Optional.empty();
        }
        try {
            new ContentCopy(entry.source(), store, null, 4, ContentCopy.Listener.NONE).copy(entry.manifest(), "");
            return Optional.of(entry.manifest());
        } catch (IOException | RuntimeException e) {
            progress.onEvent(new BuildEvent.Message("cannot use the cached step " + entry.manifest().digest() + " from "
                    + entry.location() + ": " + e.getMessage()));
            return Optional.empty();
        }
    }

    private synchronized Map<Digest, Entry> entries() {
        if (entries == null) {
            entries = new HashMap<>();
            for (CacheLocation location : locations) {
                try {
                    read(location);
                } catch (IOException | RuntimeException e) {
                    progress.onEvent(new BuildEvent.Message("importing cache from " + location + " failed, building "
                            + "without it: " + e.getMessage()));
                }
            }
        }
        return entries;
    }

    private void read(CacheLocation location) throws IOException {
        progress.onEvent(new BuildEvent.Message("importing cache manifest from " + location));
        ContentSource source = switch (location) {
            case CacheLocation.Registry reference -> {
                if (registry == null) {
                    registry = new Registry(registryOptions);
                }
                yield registry.pullRepository(Reference.parse(reference.reference()));
            }
            case CacheLocation.LocalDirectory directory -> OciLayout.open(directory.directory());
        };
        Descriptor root = source.resolve(location.tag());
        int found = 0;
        for (Descriptor manifest : Index.parse(source.readAll(root)).manifests()) {
            String key = manifest.annotations().get(CacheExporter.KEY_ANNOTATION);
            if (key != null) {
                entries.putIfAbsent(Digest.parse(key), new Entry(location, source, manifest));
                found++;
            }
        }
        if (found == 0) {
            progress.onEvent(new BuildEvent.Message(location + " holds no jbuild cache"));
        }
    }

    @Override
    public synchronized void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
