package dev.jbuild.registry.internal;

import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;

/** {@code GET /v2/<name>/tags/list?n=}: every tag of a repository, following {@code Link} pages. */
public final class TagsList {
    private TagsList() {
    }

    /** All tags, sorted (registries such as distribution 2.8 do not sort them). */
    public static List<String> list(RepositoryEndpoint endpoint, int pageSize) throws IOException {
        HttpUrl.Builder first = endpoint.url("tags", "list").newBuilder();
        if (pageSize > 0) {
            first.addQueryParameter("n", Integer.toString(pageSize));
        }
        List<String> tags = Pages.collect(first.build(), "tags", url -> endpoint.request(url, "pull").build(),
                endpoint.host(), endpoint.repository(), "list tags");
        return tags.stream().distinct().sorted().toList();
    }
}
