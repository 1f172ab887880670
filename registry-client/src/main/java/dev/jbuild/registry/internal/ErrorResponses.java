package dev.jbuild.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Turns an unexpected registry response into a {@link RegistryException}, JSON error body or not. */
public final class ErrorResponses {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_DETAIL = 300;

    private ErrorResponses() {
    }

    /** Reads (a bounded part of) the body, closes the response and describes the failure. */
    public static RegistryException toException(Response response, String registry, String repository,
            String operation) {
        int status = response.code();
        String code = "";
        String detail = "";
        try (response) {
            ResponseBody body = response.body();
            byte[] bytes = body.byteStream().readNBytes(MAX_ERROR_BODY);
            JsonNode json = Json.tryRead(bytes);
            JsonNode errors = json == null ? null : json.path("errors");
            if (errors != null && errors.isArray() && !errors.isEmpty()) {
                JsonNode first = errors.get(0);
                code = first.path("code").asText("");
                detail = first.path("message").asText("");
                JsonNode more = first.path("detail");
                if (!more.isMissingNode() && !more.isNull() && !more.asText("").isEmpty()) {
                    detail += " (" + more.asText() + ")";
                } else if (more.isObject() || more.isArray()) {
                    detail += " " + more;
                }
            } else {
                detail = new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
                if (detail.startsWith("<")) {
                    detail = "";
                }
            }
        } catch (IOException e) {
            detail = "";
        }
        if (detail.isEmpty()) {
            detail = response.message();
        }
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL) + "…";
        }
        if (status == 401 && code.isEmpty()) {
            code = "UNAUTHORIZED";
        }
        boolean temporary = RegistryException.isTemporaryStatus(status) || code.equals("TOOMANYREQUESTS");
        return new RegistryException(registry, repository, operation, status, code, detail, temporary, null);
    }

    /** A failure without a response (connection refused, reset, TLS). */
    public static RegistryException transportFailure(IOException cause, String registry, String repository,
            String operation) {
        if (cause instanceof RegistryException registryException) {
            return registryException;
        }
        boolean temporary = !(cause instanceof javax.net.ssl.SSLException)
                && !(cause instanceof java.net.UnknownHostException);
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new RegistryException(registry, repository, operation, 0, "", message, temporary, cause);
    }
}
