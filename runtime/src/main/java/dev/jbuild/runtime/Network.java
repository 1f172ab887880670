package dev.jbuild.runtime;

/** The network a container sees. */
public enum Network {
    /** A network namespace of its own with only {@code lo}. */
    NONE,
    /** The host's network (needed by steps that download). */
    HOST
}
