package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildRequestTest {
    private static final BuildRequest.Context CONTEXT = new BuildRequest.Context.Directory(Path.of("context"));

    @Test
    void entitlementsAreAllowedByName() {
        assertEquals(Set.of(), BuildRequest.builder(CONTEXT).build().entitlements());
        assertEquals(Set.of("security.insecure"),
                BuildRequest.builder(CONTEXT).allow(BuildRequest.SECURITY_INSECURE).build().entitlements());
        assertEquals(Set.of("security.insecure", "network.host"), BuildRequest.builder(CONTEXT)
                .allow(BuildRequest.SECURITY_INSECURE).allow(BuildRequest.NETWORK_HOST).build().entitlements());
    }

    @Test
    void unknownEntitlementIsRefusedNamingIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> BuildRequest.builder(CONTEXT).allow("network.everything").build());
        assertEquals("unknown entitlement \"network.everything\" (--allow takes security.insecure or network.host)",
                error.getMessage());
    }
}
