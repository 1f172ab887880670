package dev.jbuild.registry.internal;

import dev.jbuild.oci.Descriptor;
import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;

/** {@code HEAD /v2/<name>/blobs/<digest>}: whether the repository already has a blob (of the right size). */
public final class BlobHead {
    private BlobHead() {
    }

    public static boolean exists(RepositoryEndpoint endpoint, Descriptor blob) throws IOException {
        String operation = "check blob " + blob.digest();
        Request request = endpoint.request(endpoint.url("blobs", blob.digest().toString()), "pull").head().build();
        try (Response response = endpoint.execute(request, operation)) {
            if (response.code() == 404) {
                return false;
            }
            if (response.code() != 200) {
                throw endpoint.failure(response, operation);
            }
            String length = response.header("Content-Length");
            return length == null || !length.strip().matches("\\d+") || Long.parseLong(length.strip()) == blob.size();
        }
    }
}
