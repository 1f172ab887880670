package dev.jbuild.registry.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import java.io.IOException;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code PUT /v2/<name>/manifests/<tag-or-digest>} with the manifest's own media type as
 * {@code Content-Type}; the registry must answer 201 and, when it names a digest, the right one.
 */
public final class ManifestPut {
    private ManifestPut() {
    }

    public static void put(RepositoryEndpoint endpoint, String reference, Descriptor descriptor, byte[] bytes)
            throws IOException {
        String operation = "push manifest " + reference;
        Request request = endpoint.request(endpoint.url("manifests", reference), "pull,push")
                .put(RequestBody.create(bytes, okhttp3.MediaType.get(descriptor.mediaType())))
                .build();
        try (Response response = endpoint.execute(request, operation)) {
            if (response.code() != 201 && response.code() != 200) {
                throw endpoint.failure(response, operation);
            }
            String digest = response.header("Docker-Content-Digest");
            if (digest != null && Digest.isDigest(digest.strip())
                    && !Digest.parse(digest.strip()).equals(descriptor.digest())) {
                throw endpoint.violation(operation, "the registry stored it as " + digest.strip() + ", not "
                        + descriptor.digest() + " (it must keep manifests byte for byte)");
            }
        }
    }
}
