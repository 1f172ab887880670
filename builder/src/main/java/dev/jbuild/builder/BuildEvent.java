package dev.jbuild.builder;

import java.time.Duration;
import java.util.Objects;

/** What a build reports while it runs, for progress displays; {@code step} is the BuildKit-style {@code #N}. */
public sealed interface BuildEvent {
    /** A step began: {@code name} is what progress shows, e.g. {@code [stage-0 2/4] RUN make}. */
    record StepStarted(int step, String name) implements BuildEvent {
        public StepStarted {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The step's result came from the build cache. */
    record StepCached(int step) implements BuildEvent {
    }

    /** The step missed the cache, and why (what changed, or that caching was turned off). */
    record StepCacheMiss(int step, String reason) implements BuildEvent {
        public StepCacheMiss {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A piece of a RUN step's output, as it arrives ({@code stderr} when it came from file descriptor 2). */
    record StepOutput(int step, boolean stderr, String text) implements BuildEvent {
        public StepOutput {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The step finished. */
    record StepDone(int step, Duration elapsed) implements BuildEvent {
        public StepDone {
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    /** The step failed with {@code error}. */
    record StepFailed(int step, Duration elapsed, String error) implements BuildEvent {
        public StepFailed {
            Objects.requireNonNull(elapsed, "elapsed");
            Objects.requireNonNull(error, "error");
        }
    }

    /** A finding of BuildKit's Dockerfile checks (lint): the rule, its message and the Dockerfile line. */
    record CheckWarning(String rule, String message, int line) implements BuildEvent {
        public CheckWarning {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(message, "message");
        }
    }

    /** A message outside any step: a warning or what the build is doing (pulling, exporting). */
    record Message(String text) implements BuildEvent {
        public Message {
            Objects.requireNonNull(text, "text");
        }
    }
}
