package dev.jbuild.registry.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.MediaType;
import java.io.IOException;
import java.util.Optional;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>}: what a tag points to without downloading (and
 * without counting against Docker Hub's pull limit). Empty when the manifest is not there.
 */
public final class ManifestHead {
    /** What a HEAD told: the descriptor, or null when the registry left out the digest or type. */
    public record Result(boolean exists, Descriptor descriptor) {
    }

    private ManifestHead() {
    }

    public static Result check(RepositoryEndpoint endpoint, String reference) throws IOException {
        String operation = "check manifest " + reference;
        Request request = endpoint.request(endpoint.url("manifests", reference), "pull")
                .head()
                .header("Accept", MediaType.MANIFEST_ACCEPT)
                .build();
        try (Response response = endpoint.execute(request, operation)) {
            if (response.code() == 404) {
                return new Result(false, null);
            }
            if (response.code() != 200) {
                throw endpoint.failure(response, operation);
            }
            String digest = response.header("Docker-Content-Digest");
            String mediaType = ManifestGet.mediaTypeOf(response.header("Content-Type"));
            String length = response.header("Content-Length");
            Optional<Digest> parsed = digest != null && Digest.isDigest(digest.strip())
                    ? Optional.of(Digest.parse(digest.strip())) : Optional.empty();
            if (parsed.isEmpty() || length == null || !length.strip().matches("\\d+")
                    || !(MediaType.isManifest(mediaType) || MediaType.isIndex(mediaType))) {
                return new Result(true, null);
            }
            if (Digest.isDigest(reference) && !Digest.parse(reference).equals(parsed.get())) {
                return new Result(true, null);
            }
            return new Result(true, new Descriptor(mediaType, parsed.get(), Long.parseLong(length.strip())));
        }
    }
}
