package dev.jbuild.store;

import java.io.IOException;

/** A failure of the local store or an OCI layout: missing or damaged content, an unknown tag, a broken layout. */
public class StoreException extends IOException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
