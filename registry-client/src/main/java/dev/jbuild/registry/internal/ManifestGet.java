package dev.jbuild.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.oci.MediaType;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/manifests/<reference>} with every manifest type in {@code Accept}. The
 * body's digest is computed and must equal the requested digest (when pulling by digest) and the
 * {@code Docker-Content-Digest} header (when present); without the header the body's hash is used.
 */
public final class ManifestGet {
    /** Registries must accept 4 MB manifests; refuse anything far beyond that rather than buffer it. */
    static final long MAX_MANIFEST_SIZE = 8L * 1024 * 1024;

    private ManifestGet() {
    }

    public static FetchedManifest fetch(RepositoryEndpoint endpoint, String reference) throws IOException {
        String operation = "pull manifest " + reference;
        Request request = endpoint.request(endpoint.url("manifests", reference), "pull")
                .header("Accept", MediaType.MANIFEST_ACCEPT)
                .build();
        byte[] bytes;
        String contentType;
        String headerDigest;
        try (Response response = endpoint.execute(request, operation)) {
            if (response.code() != 200) {
                throw endpoint.failure(response, operation);
            }
            long length = response.body().contentLength();
            if (length > MAX_MANIFEST_SIZE) {
                throw endpoint.violation(operation, "manifest of " + length + " bytes is larger than "
                        + MAX_MANIFEST_SIZE);
            }
            bytes = response.body().byteStream().readNBytes((int) MAX_MANIFEST_SIZE + 1);
            if (bytes.length > MAX_MANIFEST_SIZE) {
                throw endpoint.violation(operation, "manifest is larger than " + MAX_MANIFEST_SIZE + " bytes");
            }
            contentType = mediaTypeOf(response.header("Content-Type"));
            headerDigest = response.header("Docker-Content-Digest");
        } catch (RegistryException | DigestMismatchException e) {
            throw e;
        } catch (IOException e) {
            throw ErrorResponses.transportFailure(e, endpoint.host().registry(), endpoint.repository(), operation);
        }
        Digest expected = Digest.isDigest(reference) ? Digest.parse(reference) : null;
        String algorithm = expected != null ? expected.algorithm() : Digest.SHA256;
        if (expected == null && headerDigest != null && Digest.isDigest(headerDigest.strip())) {
            algorithm = Digest.parse(headerDigest.strip()).algorithm();
        }
        Digest actual = Digest.of(algorithm, bytes);
        if (expected != null && !expected.equals(actual)) {
            throw new DigestMismatchException(expected, actual, -1, bytes.length);
        }
        if (headerDigest != null && Digest.isDigest(headerDigest.strip())) {
            Digest claimed = Digest.parse(headerDigest.strip());
            if (claimed.algorithm().equals(algorithm) && !claimed.equals(actual)) {
                throw new DigestMismatchException(claimed, actual, -1, bytes.length);
            }
        }
        String mediaType = resolveMediaType(endpoint, operation, contentType, bytes);
        return new FetchedManifest(new Descriptor(mediaType, actual, bytes.length), bytes);
    }

    static String mediaTypeOf(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    }

    private static String resolveMediaType(RepositoryEndpoint endpoint, String operation, String contentType,
            byte[] bytes) throws RegistryException {
        JsonNode json;
        try {
            json = Json.read(bytes, "the manifest");
        } catch (IOException e) {
            throw endpoint.violation(operation, e.getMessage());
        }
        if (json.path("schemaVersion").asInt(0) == 1 || MediaType.DOCKER_SCHEMA1_SIGNED.equals(contentType)
                || "application/vnd.docker.distribution.manifest.v1+json".equals(contentType)) {
            throw endpoint.violation(operation, "the registry served a Docker schema 1 manifest, which jbuild does "
                    + "not read; push the image again with a current tool");
        }
        String declared = json.path("mediaType").asText("");
        if (!declared.isEmpty()) {
            return declared;
        }
        if (MediaType.isManifest(contentType) || MediaType.isIndex(contentType)) {
            return contentType;
        }
        return json.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
    }
}
