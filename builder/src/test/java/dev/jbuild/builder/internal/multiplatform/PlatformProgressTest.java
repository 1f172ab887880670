package dev.jbuild.builder.internal.multiplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.oci.Platform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Progress of builds that run at the same time: one numbering for all steps, and the platform in every name. */
class PlatformProgressTest {
    @Test
    void stepsOfTwoPlatformsGetDistinctNumbersAndTheirPlatform() {
        List<BuildEvent> shown = new ArrayList<>();
        AtomicInteger steps = new AtomicInteger();
        PlatformProgress amd = new PlatformProgress(shown::add, Platform.parse("linux/amd64"), steps);
        PlatformProgress arm = new PlatformProgress(shown::add, Platform.parse("linux/arm64"), steps);

        amd.onEvent(new BuildEvent.StepStarted(1, "[stage-0 1/2] COPY a /a"));
        arm.onEvent(new BuildEvent.StepStarted(1, "[stage-0 1/2] COPY a /a"));
        arm.onEvent(new BuildEvent.StepOutput(1, false, "hello\n"));
        amd.onEvent(new BuildEvent.StepDone(1, Duration.ofMillis(5)));
        arm.onEvent(new BuildEvent.StepFailed(1, Duration.ofMillis(7), "exit code 1"));
        amd.onEvent(new BuildEvent.Message("pulling busybox"));

        assertEquals(List.of(
                new BuildEvent.StepStarted(1, "[linux/amd64 stage-0 1/2] COPY a /a"),
                new BuildEvent.StepStarted(2, "[linux/arm64 stage-0 1/2] COPY a /a"),
                new BuildEvent.StepOutput(2, false, "hello\n"),
                new BuildEvent.StepDone(1, Duration.ofMillis(5)),
                new BuildEvent.StepFailed(2, Duration.ofMillis(7), "exit code 1"),
                new BuildEvent.Message("[linux/amd64] pulling busybox")), shown);
    }
}
