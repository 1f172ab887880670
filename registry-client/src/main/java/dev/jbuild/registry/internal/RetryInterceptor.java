package dev.jbuild.registry.internal;

import dev.jbuild.registry.RegistryException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Retries requests that failed for reasons that pass: 408, 429 and 5xx responses (honouring
 * {@code Retry-After}) and dropped connections, with exponential backoff and full jitter, a
 * bounded number of times. Requests whose body can be sent only once are not retried here.
 */
public final class RetryInterceptor implements Interceptor {
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;

    public RetryInterceptor(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        boolean replayable = isReplayable(request);
        for (int attempt = 1; ; attempt++) {
            Response response;
            try {
                response = chain.proceed(request);
            } catch (IOException e) {
                if (!replayable || attempt >= maxAttempts || !isTransient(e)) {
                    throw e;
                }
                pause(backoff(attempt));
                continue;
            }
            if (!RegistryException.isTemporaryStatus(response.code()) || !replayable || attempt >= maxAttempts
                    || response.code() == 501 || response.code() == 505) {
                return response;
            }
            Duration wait = retryAfter(response.header("Retry-After"));
            response.close();
            pause(wait != null ? min(wait, maxDelay) : backoff(attempt));
        }
    }

    private static boolean isReplayable(Request request) {
        RequestBody body = request.body();
        return body == null || !body.isOneShot();
    }

    private static boolean isTransient(IOException e) {
        return !(e instanceof UnknownHostException) && !(e instanceof SSLException)
                && !(e instanceof RegistryException) && !(e instanceof dev.jbuild.oci.DigestMismatchException)
                && !(e instanceof InterruptedIOException && Thread.currentThread().isInterrupted());
    }

    private Duration backoff(int attempt) {
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    /** Parses {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(),
                    ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void pause(Duration duration) throws IOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
