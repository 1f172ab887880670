package dev.jbuild.builder.internal.multiplatform;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.ProgressListener;
import dev.jbuild.oci.Platform;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes one platform's build events on to the shared display: step numbers become unique across the
 * platforms' builds (which run at the same time) and names and messages say which platform they are for,
 * as in {@code [linux/arm64 stage-0 2/4] RUN make}.
 */
public final class PlatformProgress implements ProgressListener {
    private final ProgressListener target;
    private final String label;
    private final AtomicInteger sharedSteps;
    private final Map<Integer, Integer> steps = new ConcurrentHashMap<>();

    public PlatformProgress(ProgressListener target, Platform platform, AtomicInteger sharedSteps) {
        this.target = target;
        this.label = platform.format();
        this.sharedSteps = sharedSteps;
    }

    @Override
    public void onEvent(BuildEvent event) {
        target.onEvent(switch (event) {
            case BuildEvent.StepStarted started -> new BuildEvent.StepStarted(step(started.step()),
                    started.name().startsWith("[") ? "[" + label + " " + started.name().substring(1)
                            : "[" + label + "] " + started.name());
            case BuildEvent.StepCached cached -> new BuildEvent.StepCached(step(cached.step()));
            case BuildEvent.StepCacheMiss miss -> new BuildEvent.StepCacheMiss(step(miss.step()), miss.reason());
            case BuildEvent.StepOutput output -> new BuildEvent.StepOutput(step(output.step()), output.stderr(),
                    output.text());
            case BuildEvent.StepDone done -> new BuildEvent.StepDone(step(done.step()), done.elapsed());
            case BuildEvent.StepFailed failed -> new BuildEvent.StepFailed(step(failed.step()), failed.elapsed(),
                    failed.error());
            case BuildEvent.Message message -> new BuildEvent.Message("[" + label + "] " + message.text());
            case BuildEvent.CheckWarning warning -> warning;
        });
    }

    private int step(int own) {
        return steps.computeIfAbsent(own, ignored -> sharedSteps.incrementAndGet());
    }
}
