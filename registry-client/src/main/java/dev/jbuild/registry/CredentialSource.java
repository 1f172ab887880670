package dev.jbuild.registry;

import java.io.IOException;
import java.util.Optional;

/** Where credentials for a registry host come from (docker/containers config files, helpers, or a test). */
@FunctionalInterface
public interface CredentialSource {
    /** No credentials anywhere: every request is anonymous. */
    CredentialSource ANONYMOUS = registry -> Optional.empty();

    /** The credentials for {@code registry} ({@code host[:port]}, {@code docker.io} for Docker Hub), if any. */
    Optional<Credentials> credentialsFor(String registry) throws IOException;
}
