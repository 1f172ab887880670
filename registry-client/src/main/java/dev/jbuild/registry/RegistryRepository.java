package dev.jbuild.registry;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.VerifyingInputStream;
import dev.jbuild.registry.internal.BlobGet;
import dev.jbuild.registry.internal.BlobHead;
import dev.jbuild.registry.internal.BlobUpload;
import dev.jbuild.registry.internal.ManifestDelete;
import dev.jbuild.registry.internal.ManifestGet;
import dev.jbuild.registry.internal.ManifestHead;
import dev.jbuild.registry.internal.Json;
import dev.jbuild.registry.internal.ManifestPut;
import dev.jbuild.registry.internal.Referrers;
import dev.jbuild.registry.internal.RegistryHost;
import dev.jbuild.registry.internal.RepositoryEndpoint;
import dev.jbuild.registry.internal.TagsList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One repository on a registry, as a {@link ContentSource} (pull) and a {@link ContentSink}
 * (push), plus tags, deletes and referrers. Manifests and indexes go to the manifests endpoint,
 * everything else to blobs. Safe for concurrent use.
 */
public final class RegistryRepository implements ContentSource, ContentSink, ContentCopy.UnverifiedSource {
    private static final int MAX_RESUMES = 5;
    private static final long MAX_MANIFEST_SIZE = 8L * 1024 * 1024;

    private final RepositoryEndpoint endpoint;
    private final List<String> mountSources;
    private final long chunkSize;
    private final ContentSource resendSource;
    private final Map<Digest, byte[]> manifests = new ConcurrentHashMap<>();
    private final List<IOException> mirrorFailures = new ArrayList<>();

    RegistryRepository(RegistryHost host, String repository, List<String> mountSources, long chunkSize) {
        this(host, repository, mountSources, chunkSize, null);
    }

    private RegistryRepository(RegistryHost host, String repository, List<String> mountSources, long chunkSize,
            ContentSource resendSource) {
        this.endpoint = new RepositoryEndpoint(host, repository);
        this.mountSources = List.copyOf(mountSources);
        this.chunkSize = chunkSize;
        this.resendSource = resendSource;
    }

    /** {@code registry/repository}. */
    public String name() {
        return endpoint.host().registry() + "/" + endpoint.repository();
    }

    public String registry() {
        return endpoint.host().registry();
    }

    public String repository() {
        return endpoint.repository();
    }

    /**
     * This repository, trying to mount blobs from these repositories of the same registry before
     * uploading them (a copy between repositories then moves no layer bytes).
     */
    public RegistryRepository withMountSources(List<String> repositories) {
        RegistryRepository copy = new RegistryRepository(endpoint.host(), endpoint.repository(), repositories,
                chunkSize, resendSource);
        copy.manifests.putAll(manifests);
        return copy;
    }

    /**
     * This repository, reading a blob again from {@code source} when a single-PUT upload was
     * refused part-way (a proxy's body limit) and must be sent again in chunks; without one, such
     * a blob fails unless the refusal came before any of it was sent.
     */
    public RegistryRepository withResendSource(ContentSource source) {
        RegistryRepository copy = new RegistryRepository(endpoint.host(), endpoint.repository(), mountSources,
                chunkSize, source);
        copy.manifests.putAll(manifests);
        return copy;
    }

    void noteMirrorFailure(IOException failure) {
        mirrorFailures.add(failure);
    }

    @Override
    public Descriptor resolve(String tagOrDigest) throws IOException {
        ManifestHead.Result head;
        try {
            head = ManifestHead.check(endpoint, tagOrDigest);
        } catch (RegistryException e) {
            if (e.status() != 405 && e.status() != 403) {
                throw withMirrorFailures(e);
            }
            head = new ManifestHead.Result(true, null);
        }
        if (!head.exists()) {
            throw withMirrorFailures(new RegistryException(registry(), repository(), "resolve " + tagOrDigest, 404,
                    "MANIFEST_UNKNOWN", "no manifest or index named " + tagOrDigest, false, null));
        }
        if (head.descriptor() != null) {
            return head.descriptor();
        }
        return manifest(tagOrDigest).descriptor();
    }

    private IOException withMirrorFailures(RegistryException failure) {
        mirrorFailures.forEach(failure::addSuppressed);
        return failure;
    }

    /** A manifest or index as served, verified against its digest (and the requested one, by digest). */
    public FetchedManifest manifest(String tagOrDigest) throws IOException {
        if (Digest.isDigest(tagOrDigest)) {
            byte[] known = manifests.get(Digest.parse(tagOrDigest));
            if (known != null) {
                return new FetchedManifest(new Descriptor(mediaTypeOfKnown(known), Digest.parse(tagOrDigest),
                        known.length), known);
            }
        }
        FetchedManifest fetched = ManifestGet.fetch(endpoint, tagOrDigest);
        manifests.put(fetched.descriptor().digest(), fetched.bytes());
        return fetched;
    }

    private static String mediaTypeOfKnown(byte[] bytes) {
        try {
            var node = Json.read(bytes, "a manifest");
            String declared = node.path("mediaType").asText("");
            if (!declared.isEmpty()) {
                return declared;
            }
            return node.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
        } catch (IOException e) {
            return MediaType.OCI_MANIFEST;
        }
    }

    @Override
    public InputStream open(Descriptor descriptor) throws IOException {
        if (isManifest(descriptor)) {
            FetchedManifest fetched = manifest(descriptor.digest().toString());
            if (fetched.bytes().length != descriptor.size()) {
                throw new DigestMismatchException(descriptor.digest(), descriptor.digest(), descriptor.size(),
                        fetched.bytes().length);
            }
            return new ByteArrayInputStream(fetched.bytes());
        }
        return BlobGet.open(endpoint, descriptor, MAX_RESUMES);
    }

    /** Like {@link #open} without hashing blobs, for copies into sinks that verify what they write. */
    @Override
    public InputStream openUnverified(Descriptor descriptor) throws IOException {
        if (isManifest(descriptor)) {
            return open(descriptor);
        }
        return BlobGet.openUnverified(endpoint, descriptor, MAX_RESUMES);
    }

    @Override
    public boolean contains(Descriptor descriptor) throws IOException {
        if (isManifest(descriptor)) {
            ManifestHead.Result head = ManifestHead.check(endpoint, descriptor.digest().toString());
            return head.exists();
        }
        return BlobHead.exists(endpoint, descriptor);
    }

    @Override
    public void write(Descriptor descriptor, InputStream content) throws IOException {
        if (isManifest(descriptor)) {
            if (descriptor.size() > MAX_MANIFEST_SIZE) {
                throw new RegistryException(registry(), repository(), "push manifest " + descriptor.digest(), 0, "",
                        "manifest of " + descriptor.size() + " bytes is too large for registries", false, null);
            }
            byte[] bytes;
            try (InputStream verified = new VerifyingInputStream(content, descriptor.digest(), descriptor.size())) {
                bytes = verified.readAllBytes();
            }
            ManifestPut.put(endpoint, descriptor.digest().toString(), descriptor, bytes);
            manifests.put(descriptor.digest(), bytes);
            return;
        }
        BlobUpload.upload(endpoint, descriptor, content, mountSources, chunkSize, resendSource);
    }

    @Override
    public void tag(String tag, Descriptor descriptor) throws IOException {
        byte[] bytes = manifest(descriptor.digest().toString()).bytes();
        ManifestPut.put(endpoint, tag, descriptor, bytes);
    }

    /** Every tag of this repository, sorted. */
    public List<String> tags() throws IOException {
        return TagsList.list(endpoint, 1000);
    }

    /** Deletes a manifest by digest (the registry drops every tag pointing at it). */
    public void delete(Digest digest) throws IOException {
        ManifestDelete.delete(endpoint, digest);
        manifests.remove(digest);
    }

    /** The manifests whose subject is {@code subject}, optionally only of one artifact type. */
    public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
        return Referrers.list(endpoint, subject, artifactType);
    }

    private static boolean isManifest(Descriptor descriptor) {
        return MediaType.isManifest(descriptor.mediaType()) || MediaType.isIndex(descriptor.mediaType());
    }
}
