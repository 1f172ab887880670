package dev.jbuild.builder.internal;

import java.io.Closeable;
import java.io.IOException;

/** Closes several resources: every one of them, even when closing some fails. */
final class Closing {
    private Closing() {
    }

    /** Closes each of {@code resources}; the first failure is thrown, with the later ones suppressed in it. */
    static void all(Iterable<? extends Closeable> resources) throws IOException {
        IOException failure = null;
        for (Closeable resource : resources) {
            try {
                resource.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
