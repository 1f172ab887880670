package dev.jbuild.registry.internal;

import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code GET /v2/}: checks that a host speaks the distribution API and, through the auth
 * interceptor, that the credentials work (a token is fetched without a repository scope).
 */
public final class Ping {
    private Ping() {
    }

    public static void ping(RegistryHost host) throws IOException {
        String operation = "check the registry API";
        Request request = new Request.Builder().url(host.base()).build();
        try (Response response = host.execute(request, "", operation)) {
            if (response.code() != 200) {
                throw ErrorResponses.toException(response, host.registry(), "", operation);
            }
        }
    }
}
