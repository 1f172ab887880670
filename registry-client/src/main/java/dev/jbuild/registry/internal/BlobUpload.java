package dev.jbuild.registry.internal;

import dev.jbuild.oci.ContentSource;
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

    /**
     * The first chunk size after a single PUT was refused; a chunk refused as too large (413) is
     * sent again in halves, down to {@link #SMALLEST_PIECE}, so a proxy's body limit (1 MiB by
     * default in nginx) is found in a few steps.
     */
    static final long FALLBACK_CHUNK = 8L * 1024 * 1024;
    static final int SMALLEST_PIECE = 64 * 1024;

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
     *
     * <p>When a single PUT is refused in a way that says the registry (or a proxy in front of it)
     * will not take a body that large (413, 400 {@code BLOB_UPLOAD_INVALID}, or the connection
     * dropped while sending), the session is cancelled and the blob sent once more in PATCH
     * chunks, read again from {@code resend} when part of {@code content} is already gone.
     */
    public static void upload(RepositoryEndpoint endpoint, Descriptor blob, InputStream content,
            Iterable<String> mountFrom, long chunkSize, ContentSource resend) throws IOException {
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
        CountingInputStream counted = new CountingInputStream(content);
        try (counted) {
            long effectiveChunk = Math.max(chunkSize, upload.minimumChunk);
            if (effectiveChunk > 0 && effectiveChunk < blob.size()) {
                upload.guarded(() -> upload.sendChunked(counted, effectiveChunk));
                return;
            }
            try {
                upload.sendMonolithic(counted);
                return;
            } catch (RegistryException refused) {
                if (!refusesSinglePut(refused)) {
                    throw upload.cancelled(refused);
                }
                upload.cancel(refused);
                upload.restartChunked(refused, counted, resend);
            } catch (IOException | RuntimeException e) {
                upload.cancel(e);
                throw e;
            }
        }
    }

    /** 413, 400 {@code BLOB_UPLOAD_INVALID}, or no answer at all (a proxy cutting the body off). */
    static boolean refusesSinglePut(RegistryException failure) {
        return failure.status() == 413
                || (failure.status() == 400 && failure.errorCode().equals("BLOB_UPLOAD_INVALID"))
                || (failure.status() == 0 && failure.getCause() != null);
    }

    private void restartChunked(RegistryException refused, CountingInputStream counted, ContentSource resend)
            throws IOException {
        if (counted.count() > 0 && resend == null) {
            refused.addSuppressed(new IOException("cannot retry in chunks: " + counted.count()
                    + " bytes of the blob were already sent and its source cannot be read again"));
            throw refused;
        }
        start(null);
        long fallbackChunk = Math.max(FALLBACK_CHUNK, minimumChunk);
        if (counted.count() == 0) {
            guarded(() -> sendChunked(counted, fallbackChunk));
            return;
        }
        try (InputStream again = resend.open(blob)) {
            guarded(() -> sendChunked(again, fallbackChunk));
        } catch (IOException e) {
            e.addSuppressed(refused);
            throw e;
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Runs a step of the session, cancelling it (and naming digest refusals as such) when it fails. */
    private void guarded(Step step) throws IOException {
        try {
            step.run();
        } catch (RegistryException e) {
            throw cancelled(e);
        } catch (IOException | RuntimeException e) {
            cancel(e);
            throw e;
        }
    }

    private IOException cancelled(RegistryException e) {
        cancel(e);
        if (e.errorCode().equals("DIGEST_INVALID") || e.errorCode().equals("SIZE_INVALID")) {
            DigestMismatchException mismatch = new DigestMismatchException(blob.digest(), null, -1, blob.size());
            mismatch.initCause(e);
            return mismatch;
        }
        return e;
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
        byte[] chunk = new byte[(int) Math.min(Math.min(chunkSize, blob.size()), Integer.MAX_VALUE - 16)];
        int piece = chunk.length;
        long offset = 0;
        while (true) {
            int length = content.readNBytes(chunk, 0, (int) Math.min(chunk.length, Math.max(0, blob.size() - offset)));
            if (length == 0) {
                break;
            }
            int sentOfChunk = 0;
            int attempts = 0;
            while (sentOfChunk < length) {
                int size = Math.min(piece, length - sentOfChunk);
                long start = offset + sentOfChunk;
                long end = start + size - 1;
                Request request = endpoint.request(location, "pull,push")
                        .patch(RequestBody.create(chunk, OCTET_STREAM, sentOfChunk, size))
                        .header("Content-Range", start + "-" + end)
                        .build();
                try (Response response = endpoint.execute(request, operation)) {
                    if (response.code() == 202) {
                        location = nextLocation(response);
                        sentOfChunk += size;
                    } else if (response.code() == 413 && size > Math.max(SMALLEST_PIECE, minimumChunk)) {
                        piece = (int) Math.max(size / 2, Math.max(SMALLEST_PIECE, minimumChunk));
                    } else if (response.code() == 416 && attempts++ < 3) {
                        long acknowledged = uploadedSoFar();
                        if (acknowledged < offset || acknowledged > offset + length) {
                            throw endpoint.violation(operation, "the registry holds " + acknowledged
                                    + " bytes of the upload, outside the chunk being sent (" + offset + "-"
                                    + (offset + length - 1) + ")");
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

    /** Counts what was read, so a refused single PUT knows whether the content can still be sent as is. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
