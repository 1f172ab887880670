package dev.jbuild.store;

import java.io.IOException;
import java.util.Objects;

/** A layer tar that is malformed or hostile (escaping paths, bad links, bombs), naming the offending entry. */
public final class LayerRejectedException extends IOException {
    private final String entry;
    private final String reason;

    public LayerRejectedException(String entry, String reason) {
        super("layer entry \"" + Objects.requireNonNull(entry, "entry") + "\": " + Objects.requireNonNull(reason));
        this.entry = entry;
        this.reason = reason;
    }

    public LayerRejectedException(String entry, String reason, Throwable cause) {
        this(entry, reason);
        initCause(cause);
    }

    /** The tar entry name as written in the archive. */
    public String entry() {
        return entry;
    }

    /** Why the entry was refused. */
    public String reason() {
        return reason;
    }
}
