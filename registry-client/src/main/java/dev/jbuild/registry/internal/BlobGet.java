package dev.jbuild.registry.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.oci.VerifyingInputStream;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, following redirects (OkHttp drops {@code Authorization}
 * when the host changes). A connection that breaks mid-body is resumed with {@code Range} from the
 * last byte received; the whole stream is verified against the descriptor's digest and size.
 */
public final class BlobGet {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private BlobGet() {
    }

    /** A stream of the blob that fails with {@link DigestMismatchException} at its end when the content is wrong. */
    public static InputStream open(RepositoryEndpoint endpoint, Descriptor blob, int maxResumes) throws IOException {
        return new VerifyingInputStream(openUnverified(endpoint, blob, maxResumes), blob.digest(), blob.size());
    }

    /** The blob's bytes as served (resumed after drops), for a reader that verifies them itself. */
    public static InputStream openUnverified(RepositoryEndpoint endpoint, Descriptor blob, int maxResumes)
            throws IOException {
        HttpUrl url = endpoint.url("blobs", blob.digest().toString());
        Resuming stream = new Resuming(endpoint, blob, url, maxResumes);
        stream.connect(0);
        return stream;
    }

    private static final class Resuming extends InputStream {
        private final RepositoryEndpoint endpoint;
        private final Descriptor blob;
        private final HttpUrl url;
        private final String operation;
        private int resumesLeft;
        private Response response;
        private InputStream body;
        private long position;

        Resuming(RepositoryEndpoint endpoint, Descriptor blob, HttpUrl url, int maxResumes) {
            this.endpoint = endpoint;
            this.blob = blob;
            this.url = url;
            this.operation = "pull blob " + blob.digest();
            this.resumesLeft = maxResumes;
        }

        void connect(long offset) throws IOException {
            Request.Builder request = endpoint.request(url, "pull");
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            Response fresh = endpoint.execute(request.build(), operation);
            if (offset > 0 && fresh.code() == 206) {
                Matcher range = CONTENT_RANGE.matcher(String.valueOf(fresh.header("Content-Range")));
                if (!range.matches() || Long.parseLong(range.group(1)) != offset) {
                    fresh.close();
                    throw endpoint.violation(operation, "the registry answered a resume from byte " + offset
                            + " with Content-Range " + fresh.header("Content-Range"));
                }
            } else if (fresh.code() != 200) {
                throw endpoint.failure(fresh, operation);
            }
            InputStream freshBody = fresh.body().byteStream();
            if (offset > 0 && fresh.code() == 200) {
                freshBody.skipNBytes(offset);
            }
            response = fresh;
            body = freshBody;
            position = offset;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (true) {
                try {
                    int n = body.read(buffer, offset, length);
                    if (n > 0) {
                        position += n;
                    } else if (n < 0 && position < blob.size() && resumesLeft > 0) {
                        resume(null);
                        continue;
                    }
                    return n;
                } catch (RegistryException | DigestMismatchException e) {
                    throw e;
                } catch (IOException e) {
                    if (resumesLeft <= 0 || position >= blob.size()) {
                        throw ErrorResponses.transportFailure(e, endpoint.host().registry(), endpoint.repository(),
                                operation + " (after " + position + " of " + blob.size() + " bytes)");
                    }
                    resume(e);
                }
            }
        }

        private void resume(IOException cause) throws IOException {
            resumesLeft--;
            closeQuietly();
            try {
                connect(position);
            } catch (IOException e) {
                if (cause != null) {
                    e.addSuppressed(cause);
                }
                throw e;
            }
        }

        private void closeQuietly() {
            if (response != null) {
                response.close();
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }
}
