package dev.jbuild.builder;

/** Receives {@link BuildEvent}s; called from several threads when stages run in parallel, so implementations synchronize. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = event -> {
    };

    /** Handles one event. */
    void onEvent(BuildEvent event);
}
