package dev.jbuild.builder.internal;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Content digests of parts of the build context, for the cache keys of steps that read them without copying. */
final class ContextDigests {
    private static final FileTree EMPTY = new LayeredTree(List.of());

    private ContextDigests() {
    }

    /** The digest of what {@code source} names in the context (a file or a whole directory). */
    static Digest of(ContextTree context, String source) {
        try {
            CopyPlanner.Request request = new CopyPlanner.Request(List.of(source), "/mnt/", "/", Optional.empty(),
                    OptionalInt.empty(), IgnorePatterns.NONE, false);
            return CopyStaging.contentDigest(CopyPlanner.plan(context, EMPTY, request), context.digests());
        } catch (CopyPlanner.CopyException missing) {
            return StepKey.NO_CONTENT;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
