package dev.jbuild.oci;

import java.time.Duration;
import java.util.List;

/**
 * The image config's {@code Healthcheck}: the test command ({@code ["NONE"]}, {@code ["CMD", …]}
 * or {@code ["CMD-SHELL", cmd]}) and its timings; zero durations and retries mean "inherit the default".
 */
public record HealthCheck(
        List<String> test,
        Duration interval,
        Duration timeout,
        Duration startPeriod,
        Duration startInterval,
        int retries) {

    public HealthCheck {
        test = test == null ? List.of() : List.copyOf(test);
        interval = interval == null ? Duration.ZERO : interval;
        timeout = timeout == null ? Duration.ZERO : timeout;
        startPeriod = startPeriod == null ? Duration.ZERO : startPeriod;
        startInterval = startInterval == null ? Duration.ZERO : startInterval;
        if (retries < 0) {
            throw new IllegalArgumentException("healthcheck retries must not be negative");
        }
    }
}
