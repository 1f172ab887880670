package dev.jbuild.registry.internal;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;

/** {@code DELETE /v2/<name>/manifests/<digest>}: removes a manifest (and with it every tag on it). */
public final class ManifestDelete {
    private ManifestDelete() {
    }

    public static void delete(RepositoryEndpoint endpoint, Digest digest) throws IOException {
        String operation = "delete manifest " + digest;
        Request request = endpoint.request(endpoint.url("manifests", digest.toString()), "delete").delete().build();
        try (Response response = endpoint.execute(request, operation)) {
            if (response.code() != 202 && response.code() != 200 && response.code() != 204) {
                throw endpoint.failure(response, operation);
            }
        }
    }
}
