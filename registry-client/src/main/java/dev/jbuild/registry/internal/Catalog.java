package dev.jbuild.registry.internal;

import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** {@code GET /v2/_catalog?n=}: the repositories of a registry, following {@code Link} pages. */
public final class Catalog {
    private Catalog() {
    }

    public static List<String> list(RegistryHost host, int pageSize) throws IOException {
        HttpUrl.Builder first = host.base().newBuilder().addPathSegment("_catalog");
        if (pageSize > 0) {
            first.addQueryParameter("n", Integer.toString(pageSize));
        }
        return Pages.collect(first.build(), "repositories",
                url -> new Request.Builder().url(url).tag(Scopes.class, Scopes.of("registry:catalog:*")).build(),
                host, "", "list repositories");
    }
}
