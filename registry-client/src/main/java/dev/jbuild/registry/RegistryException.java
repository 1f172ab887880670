package dev.jbuild.registry;

import java.io.IOException;

/**
 * A failed registry operation: which registry and repository, what was being done, the HTTP
 * status (0 when no response arrived), the distribution-spec error code (empty when the body had
 * none) and whether trying again later may succeed.
 */
public final class RegistryException extends IOException {
    private final String registry;
    private final String repository;
    private final String operation;
    private final int status;
    private final String errorCode;
    private final boolean temporary;

    public RegistryException(String registry, String repository, String operation, int status, String errorCode,
            String detail, boolean temporary, Throwable cause) {
        super(describe(registry, repository, operation, status, errorCode, detail), cause);
        this.registry = registry;
        this.repository = repository == null ? "" : repository;
        this.operation = operation;
        this.status = status;
        this.errorCode = errorCode == null ? "" : errorCode;
        this.temporary = temporary;
    }

    private static String describe(String registry, String repository, String operation, int status,
            String errorCode, String detail) {
        StringBuilder text = new StringBuilder(registry);
        if (repository != null && !repository.isEmpty()) {
            text.append('/').append(repository);
        }
        text.append(": ").append(operation).append(" failed");
        if (status > 0) {
            text.append(" (HTTP ").append(status);
            if (errorCode != null && !errorCode.isEmpty()) {
                text.append(' ').append(errorCode);
            }
            text.append(')');
        }
        if (detail != null && !detail.isBlank()) {
            text.append(": ").append(detail.strip());
        }
        return text.toString();
    }

    /** True for statuses and codes that may go away by themselves (rate limits, 5xx, resets). */
    public static boolean isTemporaryStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    public String registry() {
        return registry;
    }

    public String repository() {
        return repository;
    }

    /** What was being done, e.g. {@code pull manifest latest}. */
    public String operation() {
        return operation;
    }

    /** The HTTP status, or 0 when the request failed without a response. */
    public int status() {
        return status;
    }

    /** The distribution-spec error code such as {@code MANIFEST_UNKNOWN}, or empty. */
    public String errorCode() {
        return errorCode;
    }

    public boolean temporary() {
        return temporary;
    }
}
