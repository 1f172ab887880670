package dev.jbuild.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Walks a paginated list ({@code tags/list}, {@code _catalog}): each page's {@code Link: <…>;
 * rel="next"} (absolute or relative) gives the next request; without it the list is complete.
 */
final class Pages {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_PAGES = 10_000;

    private Pages() {
    }

    static List<String> collect(HttpUrl first, String field, Function<HttpUrl, Request> requestFor,
            RegistryHost host, String repository, String operation) throws IOException {
        List<String> all = new ArrayList<>();
        HttpUrl url = first;
        for (int page = 0; url != null; page++) {
            if (page >= MAX_PAGES) {
                throw ErrorResponses.transportFailure(new IOException("more than " + MAX_PAGES + " pages"),
                        host.registry(), repository, operation);
            }
            try (Response response = host.execute(requestFor.apply(url), repository, operation)) {
                if (response.code() != 200) {
                    throw ErrorResponses.toException(response, host.registry(), repository, operation);
                }
                JsonNode json = Json.read(response.body().bytes(), "the " + field + " list");
                for (JsonNode item : json.path(field)) {
                    all.add(item.asText());
                }
                url = next(response);
            }
        }
        return all;
    }

    private static HttpUrl next(Response response) {
        for (String link : response.headers("Link")) {
            Matcher matcher = NEXT.matcher(link);
            if (matcher.find()) {
                return response.request().url().resolve(matcher.group(1));
            }
        }
        return null;
    }
}
