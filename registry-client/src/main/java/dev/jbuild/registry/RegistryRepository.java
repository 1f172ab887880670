package dev.jbuild.registry;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.oci.DockerFormat;
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
import java.util.Optional;
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
    private final boolean dockerFormat;
    private final Map<Digest, Descriptor> conversions = new ConcurrentHashMap<>();
    private final Map<Digest, byte[]> manifests = new ConcurrentHashMap<>();
    private final List<IOException> mirrorFailures = new ArrayList<>();

    RegistryRepository(RegistryHost host, String repository, List<String> mountSources, long chunkSize) {
        this(host, repository, mountSources, chunkSize, null, false);
    }

    private RegistryRepository(RegistryHost host, String repository, List<String> mountSources, long chunkSize,
            ContentSource resendSource, boolean dockerFormat) {
        this.endpoint = new RepositoryEndpoint(host, repository);
        this.mountSources = List.copyOf(mountSources);
        this.chunkSize = chunkSize;
        this.resendSource = resendSource;
        this.dockerFormat = dockerFormat;
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
                chunkSize, resendSource, dockerFormat);
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
                chunkSize, source, dockerFormat);
        copy.manifests.putAll(manifests);
        return copy;
    }

    /**
     * This repository, converting every OCI manifest and index it is given to Docker schema 2
     * before pushing it (as {@code skopeo --format v2s2} does). Without this, an OCI manifest is
     * converted only when the registry refuses it.
     */
    public RegistryRepository withDockerFormat() {
        RegistryRepository copy = new RegistryRepository(endpoint.host(), endpoint.repository(), mountSources,
                chunkSize, resendSource, true);
        copy.manifests.putAll(manifests);
        return copy;
    }

    /**
     * The Docker schema 2 descriptor an OCI manifest or index was pushed as, when it was converted
     * (forced, or because the registry refused OCI); empty when it was pushed as it is.
     */
    public Optional<Descriptor> convertedFrom(Digest original) {
        return Optional.ofNullable(conversions.get(original));
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
            if (dockerFormat && DockerFormat.isOci(descriptor.mediaType())) {
                // its Docker form has another digest, so the OCI one being there says nothing
                return false;
            }
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
            putManifest(descriptor, bytes);
            return;
        }
        BlobUpload.upload(endpoint, descriptor, content, mountSources, chunkSize, resendSource);
    }

    /**
     * Pushes a manifest as it is, or in Docker format when forced, when an index's children were
     * converted, or when the registry refuses the OCI form (the refusal is kept as suppressed
     * when the Docker form fails too).
     */
    private void putManifest(Descriptor descriptor, byte[] bytes) throws IOException {
        boolean convertible = DockerFormat.isOci(descriptor.mediaType());
        if (convertible && (dockerFormat || (MediaType.isIndex(descriptor.mediaType()) && !conversions.isEmpty()))) {
            putConverted(descriptor, bytes, null);
            return;
        }
        try {
            ManifestPut.put(endpoint, descriptor.digest().toString(), descriptor, bytes);
        } catch (RegistryException refused) {
            if (!convertible || !refusesOci(refused)) {
                throw refused;
            }
            putConverted(descriptor, bytes, refused);
            return;
        }
        manifests.put(descriptor.digest(), bytes);
    }

    private void putConverted(Descriptor descriptor, byte[] bytes, RegistryException refused) throws IOException {
        try {
            DockerFormat.Converted converted = MediaType.isIndex(descriptor.mediaType())
                    ? DockerFormat.index(bytes, conversions) : DockerFormat.manifest(bytes);
            ManifestPut.put(endpoint, converted.descriptor().digest().toString(), converted.descriptor(),
                    converted.bytes());
            manifests.put(converted.descriptor().digest(), converted.bytes());
            conversions.put(descriptor.digest(), converted.descriptor());
        } catch (RegistryException e) {
            if (refused != null) {
                e.addSuppressed(refused);
            }
            throw e;
        } catch (IOException e) {
            String why = refused != null ? "the registry refused the OCI manifest (" + refused.getMessage() + ") and "
                    : "";
            throw new RegistryException(registry(), repository(), "push manifest " + descriptor.digest(), 0, "",
                    why + e.getMessage(), false, e);
        }
    }

    /** 415, 400 {@code MANIFEST_INVALID}/{@code UNSUPPORTED}, or a message about an unsupported media type. */
    static boolean refusesOci(RegistryException failure) {
        String message = failure.getMessage().toLowerCase(java.util.Locale.ROOT);
        return failure.status() == 415
                || (failure.status() == 400 && (failure.errorCode().equals("MANIFEST_INVALID")
                        || failure.errorCode().equals("UNSUPPORTED")))
                || (failure.status() >= 400 && failure.status() < 500 && message.contains("unsupported media type"));
    }

    @Override
    public void tag(String tag, Descriptor descriptor) throws IOException {
        Descriptor pushed = conversions.getOrDefault(descriptor.digest(), descriptor);
        byte[] bytes = manifest(pushed.digest().toString()).bytes();
        ManifestPut.put(endpoint, tag, pushed, bytes);
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
