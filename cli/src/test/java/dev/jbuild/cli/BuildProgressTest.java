package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.oci.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildProgressTest {
    private static List<String> render(BuildProgress.Mode mode, BuildEvent... events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BuildProgress progress = new BuildProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), mode);
        for (BuildEvent event : events) {
            progress.onEvent(event);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void plainShowsStepsCacheDecisionsTimedOutputAndDone() {
        List<String> lines = render(BuildProgress.Mode.PLAIN,
                new BuildEvent.StepStarted(1, "[stage-0 1/2] FROM busybox"),
                new BuildEvent.StepCached(1),
                new BuildEvent.StepDone(1, Duration.ofMillis(40)),
                new BuildEvent.StepStarted(2, "[stage-0 2/2] RUN make"),
                new BuildEvent.StepCacheMiss(2, "source content changed"),
                new BuildEvent.StepOutput(2, false, "compiling\nlink"),
                new BuildEvent.StepOutput(2, true, "ing done\n"),
                new BuildEvent.StepDone(2, Duration.ofMillis(1250)));
        assertEquals("#1 [stage-0 1/2] FROM busybox", lines.get(0));
        assertEquals("#1 CACHED", lines.get(1));
        assertEquals("#1 DONE 0.0s", lines.get(2));
        assertEquals("#2 cache miss: source content changed", lines.get(4));
        assertTrue(lines.get(5).matches("#2 \\d+\\.\\d{3} compiling"), lines.get(5));
        assertTrue(lines.get(6).matches("#2 \\d+\\.\\d{3} linking done"), "partial lines are joined: " + lines.get(6));
        assertEquals("#2 DONE 1.3s", lines.get(7));
    }

    @Test
    void failuresShowTheFirstLineOfTheError() {
        List<String> lines = render(BuildProgress.Mode.PLAIN,
                new BuildEvent.StepStarted(3, "[stage-0 3/3] RUN exit 3"),
                new BuildEvent.StepFailed(3, Duration.ofMillis(100), "line 3: process did not complete\nmore"));
        assertEquals("#3 ERROR: line 3: process did not complete", lines.getLast());
    }

    @Test
    void quietPrintsNothingForASuccessfulBuild() {
        List<String> lines = render(BuildProgress.Mode.QUIET,
                new BuildEvent.StepStarted(1, "[stage-0 1/2] FROM busybox"),
                new BuildEvent.StepCached(1),
                new BuildEvent.StepDone(1, Duration.ofMillis(40)),
                new BuildEvent.StepStarted(2, "[stage-0 2/2] RUN make"),
                new BuildEvent.StepCacheMiss(2, "source content changed"),
                new BuildEvent.StepOutput(2, false, "compiling\n"),
                new BuildEvent.StepDone(2, Duration.ofMillis(1250)),
                new BuildEvent.Message("writing image sha256:…"));
        assertEquals(List.of(), lines);
    }

    @Test
    void quietShowsAFailedStepWithItsLastOutputLines() {
        List<BuildEvent> events = new java.util.ArrayList<>();
        events.add(new BuildEvent.StepStarted(1, "[stage-0 1/2] RUN echo fine"));
        events.add(new BuildEvent.StepOutput(1, false, "fine\n"));
        events.add(new BuildEvent.StepDone(1, Duration.ofMillis(10)));
        events.add(new BuildEvent.StepStarted(2, "[stage-0 2/2] RUN make"));
        for (int i = 1; i <= BuildProgress.QUIET_LINES_KEPT + 5; i++) {
            events.add(new BuildEvent.StepOutput(2, i % 2 == 0, "line " + i + "\n"));
        }
        events.add(new BuildEvent.StepOutput(2, true, "no newline at the end"));
        events.add(new BuildEvent.StepFailed(2, Duration.ofMillis(100), "line 3: exit code 2\nmore"));
        List<String> lines = render(BuildProgress.Mode.QUIET, events.toArray(BuildEvent[]::new));
        assertEquals("#2 [stage-0 2/2] RUN make", lines.getFirst());
        assertEquals(BuildProgress.QUIET_LINES_KEPT + 2, lines.size(), "the step, its last kept lines, the error");
        assertTrue(lines.get(1).matches("#2 \\d+\\.\\d{3} line 7"), lines.get(1));
        assertTrue(lines.get(lines.size() - 2).matches("#2 \\d+\\.\\d{3} no newline at the end"), lines.get(lines.size() - 2));
        assertEquals("#2 ERROR: line 3: exit code 2", lines.getLast());
    }

    @Test
    void jsonWritesOneObjectPerEvent() {
        List<String> lines = render(BuildProgress.Mode.JSON,
                new BuildEvent.StepStarted(1, "[stage-0 1/1] FROM scratch"),
                new BuildEvent.StepCacheMiss(1, "no earlier build"));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) Json.read(lines.get(0).getBytes(StandardCharsets.UTF_8));
        assertEquals("started", first.get("event"));
        assertEquals("[stage-0 1/1] FROM scratch", first.get("name"));
        @SuppressWarnings("unchecked")
        Map<String, Object> second = (Map<String, Object>) Json.read(lines.get(1).getBytes(StandardCharsets.UTF_8));
        assertEquals("cache-miss", second.get("event"));
        assertEquals("no earlier build", second.get("reason"));
    }

    @Test
    void checkWarningsAreListedOnceAtTheEndOrSentAsJsonEvents() {
        BuildEvent.CheckWarning json = new BuildEvent.CheckWarning("JSONArgsRecommended",
                "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals", 4);
        BuildEvent.CheckWarning workdir = new BuildEvent.CheckWarning("WorkdirRelativePath",
                "Relative workdir 'app' can have unexpected results if the base image changes", 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BuildProgress progress = new BuildProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                BuildProgress.Mode.PLAIN);
        progress.onEvent(workdir);
        progress.onEvent(json);
        progress.onEvent(new BuildEvent.StepStarted(1, "[stage-0 1/1] FROM scratch"));
        progress.onEvent(json);
        assertEquals(List.of("#1 [stage-0 1/1] FROM scratch"), bytes.toString(StandardCharsets.UTF_8).lines().toList(),
                "nothing is printed while the build runs");
        progress.printChecks();
        assertEquals(List.of("#1 [stage-0 1/1] FROM scratch", "2 warnings found:",
                " - WorkdirRelativePath: Relative workdir 'app' can have unexpected results if the base image changes (line 2)",
                " - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS"
                        + " signals (line 4)"), bytes.toString(StandardCharsets.UTF_8).lines().toList(),
                "the same warning from a second platform is listed once");

        List<String> lines = render(BuildProgress.Mode.JSON, json);
        assertEquals(Map.of("event", "warning", "rule", "JSONArgsRecommended", "message", json.message(), "line", 4),
                Json.read(lines.getFirst().getBytes(StandardCharsets.UTF_8)));
    }
}
