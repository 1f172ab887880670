package dev.jbuild.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A HEALTHCHECK as the image config stores it.
 *
 * @param test          {@code ["NONE"]}, {@code ["CMD", args…]} or {@code ["CMD-SHELL", script]}
 * @param interval      {@code --interval}, when given
 * @param timeout       {@code --timeout}, when given
 * @param startPeriod   {@code --start-period}, when given
 * @param startInterval {@code --start-interval}, when given
 * @param retries       {@code --retries}, when given
 */
public record HealthConfig(List<String> test, Optional<Duration> interval, Optional<Duration> timeout,
                           Optional<Duration> startPeriod, Optional<Duration> startInterval, Optional<Integer> retries) {
    public HealthConfig {
        test = List.copyOf(test);
        if (test.isEmpty()) {
            throw new IllegalArgumentException("a health check needs a test");
        }
    }

    /** True for {@code HEALTHCHECK NONE}, which turns off a check inherited from the base image. */
    public boolean disabled() {
        return test.getFirst().equals("NONE");
    }
}
