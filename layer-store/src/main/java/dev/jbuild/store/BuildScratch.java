package dev.jbuild.store;

import dev.jbuild.store.internal.BuildScratches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A build's scratch directory under the store's {@code builds/}, on the store's file system so its
 * contents can be renamed into the store; prune leaves it alone while it is open and removes it once
 * its build has died. Closing deletes it. Make one with {@link Store#newBuildScratch()}.
 */
public final class BuildScratch implements AutoCloseable {
    private final BuildScratches.Created created;

    BuildScratch(BuildScratches.Created created) {
        this.created = Objects.requireNonNull(created, "created");
    }

    /** The directory; it exists until {@link #close()}. */
    public Path path() {
        return created.directory();
    }

    @Override
    public void close() throws IOException {
        created.close();
    }
}
