package dev.jbuild.cli;

import dev.jbuild.store.StoreException;

/**
 * The exit codes CI scripts rely on: 0 ok, 1 build or step failure, 2 usage error,
 * 3 registry or auth error, 4 store error.
 */
final class ExitCode {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int REGISTRY = 3;
    static final int STORE = 4;

    private ExitCode() {
    }

    /** Maps a failure to the exit code of its kind. */
    static int of(Throwable failure) {
        return switch (failure) {
            case picocli.CommandLine.ParameterException e -> USAGE;
            case UsageException e -> USAGE;
            case StoreException e -> STORE;
            case dev.jbuild.registry.RegistryException e -> REGISTRY;
            default -> FAILURE;
        };
    }
}
