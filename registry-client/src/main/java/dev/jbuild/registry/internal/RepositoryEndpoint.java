package dev.jbuild.registry.internal;

import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/** The URLs and scopes of one repository on one registry host, shared by the endpoint classes. */
public record RepositoryEndpoint(RegistryHost host, String repository) {

    /** {@code <base>/<repository>/<path segments…>}. */
    public HttpUrl url(String... segments) throws IOException {
        HttpUrl.Builder url = host.base().newBuilder();
        for (String part : repository.split("/")) {
            url.addPathSegment(part);
        }
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url.build();
    }

    /** A request builder tagged with the scopes its method needs on this repository. */
    public Request.Builder request(HttpUrl url, String actions, String... extraScopes) {
        String[] all = new String[extraScopes.length + 1];
        all[0] = Scopes.repository(repository, actions);
        System.arraycopy(extraScopes, 0, all, 1, extraScopes.length);
        return new Request.Builder().url(url).tag(Scopes.class, Scopes.of(all));
    }

    public Response execute(Request request, String operation) throws IOException {
        return host.execute(request, repository, operation);
    }

    /** The exception for an unexpected response (which this closes). */
    public RegistryException failure(Response response, String operation) {
        return ErrorResponses.toException(response, host.registry(), repository, operation);
    }

    /** An exception for a protocol violation by the registry, with no useful response to read. */
    public RegistryException violation(String operation, String detail) {
        return new RegistryException(host.registry(), repository, operation, 0, "", detail, false, null);
    }
}
