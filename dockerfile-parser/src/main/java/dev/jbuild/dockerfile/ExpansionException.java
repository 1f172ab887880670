package dev.jbuild.dockerfile;

/** A word that cannot be expanded: a bad substitution, an unsupported modifier, an unterminated quote or a {@code ${X?message}}. */
public final class ExpansionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates the error with BuildKit's message text. */
    public ExpansionException(String message) {
        super(message);
    }
}
