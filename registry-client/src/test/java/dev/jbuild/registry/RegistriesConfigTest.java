package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Reference;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistriesConfigTest {
    private static final String CONF = """
            unqualified-search-registries = ["docker.io"]

            [[registry]]
            prefix = "docker.io"
            location = "docker.io"  # the real one

            [[registry.mirror]]
            location = "mirror.internal:5000/hub"
            insecure = true

            [[registry]]
            location = "build.internal:5000"
            insecure = true

            [[registry]]
            prefix = "evil.example.com"
            blocked = true
            """;

    @Test
    void pullsTryMirrorsFirstAndPushesNever() {
        RegistriesConfig config = RegistriesConfig.parse(CONF, "registries.conf");
        Reference busybox = Reference.parse("busybox:1.36");

        assertEquals(List.of(Reference.parse("mirror.internal:5000/hub/library/busybox:1.36"), busybox),
                config.pullSources(busybox));
        assertEquals(busybox, config.pushTarget(busybox));
    }

    @Test
    void insecureAndBlockedRegistriesAreHonoured() {
        RegistriesConfig config = RegistriesConfig.parse(CONF, "registries.conf");

        assertTrue(config.isInsecure("mirror.internal:5000"));
        assertTrue(config.isInsecure("build.internal:5000"));
        assertFalse(config.isInsecure("docker.io"));
        assertThrows(IllegalArgumentException.class,
                () -> config.pullSources(Reference.parse("evil.example.com/x:1")));
        assertEquals(List.of(Reference.parse("other.example.com/x:1")),
                config.pullSources(Reference.parse("other.example.com/x:1")));
    }

    @Test
    void aMirrorWithoutLocationIsAnErrorNamingTheLine() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RegistriesConfig.parse("""
                [[registry]]
                prefix = "docker.io"
                [[registry.mirror]]
                insecure = true
                """, "my.conf"));
        assertTrue(error.getMessage().startsWith("my.conf:4: "), error.getMessage());
    }

    @Test
    void loopbackAndFlaggedHostsMayUsePlainHttp() {
        RegistryOptions options = RegistryOptions.defaults().withCredentials(CredentialSource.ANONYMOUS)
                .withInsecureHosts(java.util.Set.of("Build.Internal:5000"));
        assertTrue(options.allowsPlainHttp("localhost:5000"));
        assertTrue(options.allowsPlainHttp("127.0.0.1:5000"));
        assertTrue(options.allowsPlainHttp("[::1]:5000"));
        assertTrue(options.allowsPlainHttp("build.internal:5000"));
        assertFalse(options.allowsPlainHttp("ghcr.io"));
        assertFalse(options.allowsPlainHttp("127.example.com"));
    }
}
