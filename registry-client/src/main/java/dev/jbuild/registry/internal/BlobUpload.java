package dev.jbuild.registry.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Blob upload sessions: {@code POST /v2/<name>/blobs/uploads/} (with {@code ?mount=&from=} to try
 * a cross-repository mount first), then one {@code PUT <location>?digest=} carrying the whole
 * blob, or {@code PATCH} chunks with {@code Content-Range} and an empty closing {@code PUT}. Every
 * response's {@code Location} (absolute or relative, its query kept) is used for the next step; a
 * 416 is recovered from by asking the session where it stands. A failed session is cancelled with
 * {@code DELETE}.
 */
public final class BlobUpload {
    private static final Pattern RANGE = Pattern.compile("(?:bytes=)?(\\d+)-(\\d+)");
    private static final okhttp3.MediaType OCTET_STREAM = okhttp3.MediaType.get("application/octet-stream");

    private final RepositoryEndpoint endpoint;
    private final Descriptor blob;
    private final String operation;
    private HttpUrl location;
    private long minimumChunk;

    private BlobUpload(RepositoryEndpoint endpoint, Descriptor blob) {
        this.endpoint = endpoint;
        this.blob = blob;
        this.operation = "push blob " + blob.digest();
    }

    /**
     * Uploads {@code content} as {@code blob}, mounting it from one of {@code mountFrom} (repository
     * names on the same registry) when the registry allows. {@code content} is read only when no
     * mount succeeds. It is not hashed here: the registry verifies the digest of what it receives
     * before it commits anything (sources verify what they read, too), so a second hash would only
     * cost CPU; a refusal ({@code DIGEST_INVALID}) or a wrong size becomes a
     * {@link DigestMismatchException} and the session is cancelled.
     */
    public static void upload(RepositoryEndpoint endpoint, Descriptor blob, InputStream content,
            Iterable<String> mountFrom, long chunkSize) throws IOException {
        BlobUpload upload = new BlobUpload(endpoint, blob);
        for (String source : mountFrom) {
            if (upload.start(source)) {
                return;
            }
            if (upload.location != null) {
                break;
            }
        }
        if (upload.location == null) {
            upload.start(null);
        }
        try (content) {
            long effectiveChunk = Math.max(chunkSize, upload.minimumChunk);
            if (effectiveChunk > 0 && effectiveChunk < blob.size()) {
                upload.sendChunked(content, effectiveChunk);
            } else {
                upload.sendMonolithic(content);
            }
        } catch (RegistryException e) {
            upload.cancel(e);
            if (e.errorCode().equals("DIGEST_INVALID") || e.errorCode().equals("SIZE_INVALID")) {
                DigestMismatchException mismatch = new DigestMismatchException(blob.digest(), null, -1, blob.size());
                mismatch.initCause(e);
                throw mismatch;
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            upload.cancel(e);
            throw e;
        }
    }

    /** POSTs a session (or a mount); true when the blob was mounted. */
    private boolean start(String mountSource) throws IOException {
        HttpUrl.Builder url = endpoint.url("blobs", "uploads", "").newBuilder();
        Request.Builder request;
        if (mountSource != null) {
            url.addQueryParameter("mount", blob.digest().toString()).addQueryParameter("from", mountSource);
            request = endpoint.request(url.build(), "pull,push", Scopes.repository(mountSource, "pull"));
        } else {
            request = endpoint.request(url.build(), "pull,push");
        }
        request.post(RequestBody.create(new byte[0], null));
        try (Response response = endpoint.execute(request.build(), operation)) {
            if (mountSource != null && response.code() == 201) {
                return true;
            }
            if (response.code() != 202) {
                if (mountSource != null && response.code() >= 400 && response.code() < 500) {
                    return false;
                }
                throw endpoint.failure(response, operation);
            }
            location = nextLocation(response);
            String minimum = response.header("OCI-Chunk-Min-Length");
            if (minimum != null && minimum.strip().matches("\\d{1,18}")) {
                minimumChunk = Long.parseLong(minimum.strip());
            }
            return false;
        }
    }

    private HttpUrl nextLocation(Response response) throws RegistryException {
        String header = response.header("Location");
        if (header == null || header.isBlank()) {
            throw endpoint.violation(operation, "the registry answered " + response.code() + " without a Location");
        }
        HttpUrl resolved = response.request().url().resolve(header.strip());
        if (resolved == null) {
            throw endpoint.violation(operation, "the registry sent an unusable Location " + header);
        }
        return resolved;
    }

    private HttpUrl withDigest(HttpUrl url) {
        return url.newBuilder().addQueryParameter("digest", blob.digest().toString()).build();
    }

    private void sendMonolithic(InputStream content) throws IOException {
        RequestBody body = new RequestBody() {
            @Override
            public okhttp3.MediaType contentType() {
                return OCTET_STREAM;
            }

            @Override
            public long contentLength() {
                return blob.size();
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                byte[] buffer = new byte[64 * 1024];
                long sent = 0;
                int n;
                while (sent < blob.size()
                        && (n = content.read(buffer, 0, (int) Math.min(buffer.length, blob.size() - sent))) >= 0) {
                    sink.write(buffer, 0, n);
                    sent += n;
                }
                if (sent != blob.size() || content.read() >= 0) {
                    throw new DigestMismatchException(blob.digest(), null, blob.size(),
                            sent == blob.size() ? sent + 1 : sent);
                }
            }
        };
        Request request = endpoint.request(withDigest(location), "pull,push").put(body).build();
        try (Response response = endpoint.execute(request, operation)) {
            if (response.code() != 201) {
                throw endpoint.failure(response, operation);
            }
            checkCommitted(response);
        }
    }

    private void sendChunked(InputStream content, long chunkSize) throws IOException {
        byte[] chunk = new byte[(int) Math.min(chunkSize, Integer.MAX_VALUE - 16)];
        long offset = 0;
        while (true) {
            int length = content.readNBytes(chunk, 0, (int) Math.min(chunk.length, Math.max(0, blob.size() - offset)));
            if (length == 0) {
                break;
            }
            int sentOfChunk = 0;
            int attempts = 0;
            while (sentOfChunk < length) {
                long start = offset + sentOfChunk;
                long end = offset + length - 1;
                Request request = endpoint.request(location, "pull,push")
                        .patch(RequestBody.create(chunk, OCTET_STREAM, sentOfChunk, length - sentOfChunk))
                        .header("Content-Range", start + "-" + end)
                        .build();
                try (Response response = endpoint.execute(request, operation)) {
                    if (response.code() == 202) {
                        location = nextLocation(response);
                        sentOfChunk = length;
                    } else if (response.code() == 416 && attempts++ < 3) {
                        long acknowledged = uploadedSoFar();
                        if (acknowledged < offset || acknowledged > offset + length) {
                            throw endpoint.violation(operation, "the registry holds " + acknowledged
                                    + " bytes of the upload, outside the chunk being sent (" + offset + "-" + end + ")");
                        }
                        sentOfChunk = (int) (acknowledged - offset);
                    } else {
                        throw endpoint.failure(response, operation);
                    }
                }
            }
            offset += length;
        }
        if (offset != blob.size() || content.read() >= 0) {
            throw new DigestMismatchException(blob.digest(), null, blob.size(), offset == blob.size() ? offset + 1 : offset);
        }
        Request close = endpoint.request(withDigest(location), "pull,push")
                .put(RequestBody.create(new byte[0], OCTET_STREAM))
                .build();
        try (Response response = endpoint.execute(close, operation)) {
            if (response.code() != 201) {
                throw endpoint.failure(response, operation);
            }
            checkCommitted(response);
        }
    }

    /** GET on the session: how many bytes the registry has, from its {@code Range: 0-<last>} header. */
    private long uploadedSoFar() throws IOException {
        Request request = endpoint.request(location, "pull,push").build();
        try (Response response = endpoint.execute(request, operation + " (upload status)")) {
            if (response.code() != 204 && response.code() != 202 && response.code() != 200) {
                throw endpoint.failure(response, operation + " (upload status)");
            }
            if (response.header("Location") != null) {
                location = nextLocation(response);
            }
            String range = response.header("Range");
            if (range == null) {
                return 0;
            }
            Matcher matcher = RANGE.matcher(range.strip());
            if (!matcher.matches()) {
                throw endpoint.violation(operation, "unreadable upload Range " + range);
            }
            long last = Long.parseLong(matcher.group(2));
            return last == 0 && Long.parseLong(matcher.group(1)) == 0 ? 0 : last + 1;
        }
    }

    private void checkCommitted(Response response) throws RegistryException {
        String digest = response.header("Docker-Content-Digest");
        if (digest != null && Digest.isDigest(digest.strip()) && !Digest.parse(digest.strip()).equals(blob.digest())) {
            throw endpoint.violation(operation, "the registry committed the blob as " + digest.strip());
        }
    }

    private void cancel(Exception cause) {
        if (location == null) {
            return;
        }
        try {
            endpoint.execute(endpoint.request(location, "pull,push").delete().build(), operation + " (cancel)").close();
            location = null;
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
