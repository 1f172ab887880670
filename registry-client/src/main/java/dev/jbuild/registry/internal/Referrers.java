package dev.jbuild.registry.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.MediaType;
import dev.jbuild.registry.FetchedManifest;
import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The manifests that name a digest as their {@code subject}: {@code GET /v2/<name>/referrers/<digest>}
 * (OCI 1.1), or, where that API is missing (404), the index tagged {@code <alg>-<hex>} that
 * clients maintain under the referrers tag schema.
 */
public final class Referrers {
    private Referrers() {
    }

    public static List<Descriptor> list(RepositoryEndpoint endpoint, Digest subject, String artifactType)
            throws IOException {
        String operation = "list referrers of " + subject;
        HttpUrl.Builder url = endpoint.url("referrers", subject.toString()).newBuilder();
        if (artifactType != null && !artifactType.isEmpty()) {
            url.addQueryParameter("artifactType", artifactType);
        }
        Request request = endpoint.request(url.build(), "pull").header("Accept", MediaType.OCI_INDEX).build();
        boolean filtered;
        Index index;
        try (Response response = endpoint.execute(request, operation)) {
            if (response.code() == 404) {
                return fromTagSchema(endpoint, subject, artifactType);
            }
            if (response.code() != 200) {
                throw endpoint.failure(response, operation);
            }
            filtered = response.header("OCI-Filters-Applied", "").contains("artifactType");
            try {
                index = Index.parse(response.body().bytes());
            } catch (IllegalArgumentException e) {
                throw endpoint.violation(operation, "the referrers response is not an index: " + e.getMessage());
            }
        }
        return filter(index.manifests(), filtered ? "" : artifactType);
    }

    /** The referrers tag of a digest: {@code <alg>-<hex>}, truncated as the spec says. */
    public static String fallbackTag(Digest subject) {
        String algorithm = subject.algorithm().length() > 32 ? subject.algorithm().substring(0, 32) : subject.algorithm();
        String encoded = subject.encoded().length() > 64 ? subject.encoded().substring(0, 64) : subject.encoded();
        return (algorithm + "-" + encoded).replaceAll("[^a-zA-Z0-9._-]", "-");
    }

    private static List<Descriptor> fromTagSchema(RepositoryEndpoint endpoint, Digest subject, String artifactType)
            throws IOException {
        String tag = fallbackTag(subject);
        if (!ManifestHead.check(endpoint, tag).exists()) {
            return List.of();
        }
        FetchedManifest fetched = ManifestGet.fetch(endpoint, tag);
        if (!MediaType.isIndex(fetched.descriptor().mediaType())) {
            throw endpoint.violation("list referrers of " + subject, "the referrers tag " + tag
                    + " does not hold an index");
        }
        return filter(Index.parse(fetched.bytes()).manifests(), artifactType);
    }

    private static List<Descriptor> filter(List<Descriptor> manifests, String artifactType) {
        if (artifactType == null || artifactType.isEmpty()) {
            return manifests;
        }
        return manifests.stream().filter(d -> artifactType.equals(d.artifactType())).toList();
    }
}
