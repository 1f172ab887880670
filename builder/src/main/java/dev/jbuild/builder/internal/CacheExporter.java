package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.CacheExport;
import dev.jbuild.builder.CacheLocation;
import dev.jbuild.builder.CachedStep;
import dev.jbuild.builder.ImageFormat;
import dev.jbuild.builder.ProgressListener;
import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a build's step results for {@code --cache-to}. The cache is one OCI image index, tagged in
 * a registry or an OCI layout directory, whose manifests are the images the steps produced, with gzip
 * layers. Each manifest's descriptor carries its step's cache key in {@value #KEY_ANNOTATION}, so a
 * later build computes a key and finds the step without running it ({@link CacheImports}). Layers
 * shared by steps are stored once. The step images carry no annotations of the local cache (build
 * arg values among them): what leaves the machine is config, layers and keys.
 */
public final class CacheExporter {
    /** The annotation on each manifest of a cache index that names the step's cache key. */
    static final String KEY_ANNOTATION = "dev.jbuild.cache.key";

    private final Store store;
    private final RegistryOptions registryOptions;
    private final ProgressListener progress;

    public CacheExporter(Store store, RegistryOptions registryOptions, ProgressListener progress) {
        this.store = store;
        this.registryOptions = registryOptions;
        this.progress = progress;
    }

    /**
     * Writes the steps {@code export} selects to its location; a failure fails the build unless the
     * export says {@code ignore-error=true}, when it is only reported.
     */
    public void export(List<CachedStep> steps, CacheExport export) throws IOException {
        try {
            write(steps, export);
        } catch (IOException | RuntimeException e) {
            if (!export.ignoreError()) {
                // a registry's own error keeps its type, so the CLI exits as for any registry failure
                throw e instanceof RegistryException registryError ? registryError
                        : new IOException("exporting cache to " + export.location() + ": " + e.getMessage(), e);
            }
            progress.onEvent(new BuildEvent.Message("exporting cache to " + export.location() + " failed (ignored): "
                    + e.getMessage()));
        }
    }

    private void write(List<CachedStep> steps, CacheExport export) throws IOException {
        Map<Digest, CachedStep> selected = new LinkedHashMap<>();
        for (CachedStep step : steps) {
            if (export.allStages() || step.inImage()) {
                selected.putIfAbsent(step.key(), step);
            }
        }
        progress.onEvent(new BuildEvent.Message("exporting cache (" + selected.size() + " step keys) to " + export.location()));
        List<Descriptor> manifests = new ArrayList<>();
        for (CachedStep step : selected.values()) {
            Descriptor bare = ImageWriter.write(store, ImageWriter.read(store, step.result()), ImageFormat.OCI, Map.of());
            manifests.add(bare.withAnnotations(Map.of(KEY_ANNOTATION, step.key().toString())));
        }
        Index index = Index.of(false, manifests);
        Descriptor written = store.writeBlob(MediaType.OCI_INDEX, index.toJson());
        Descriptor compressed = store.withCompressedLayers(written, layer -> progress.onEvent(new BuildEvent.Message(
                "compressing layer " + layer.digest() + " (" + layer.size() + " bytes) for the cache")));
        switch (export.location()) {
            case CacheLocation.Registry registryLocation -> {
                try (Registry registry = new Registry(registryOptions)) {
                    copy(compressed, registry.repository(Reference.parse(registryLocation.reference())),
                            registryLocation.tag());
                }
            }
            case CacheLocation.LocalDirectory directory ->
                    copy(compressed, OciLayout.create(directory.directory()), directory.tag());
        }
        progress.onEvent(new BuildEvent.Message("exported cache to " + export.location() + " as " + compressed.digest()
                + " done"));
    }

    private void copy(Descriptor index, ContentSink sink, String tag) throws IOException {
        new ContentCopy(store, sink, null, 4, ContentCopy.Listener.NONE).copy(index, tag);
    }
}
