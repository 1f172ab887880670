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

    @Test
    void addHostTakesDockersFormsAndRefusesWhatIsNotAnAddress() {
        assertEquals(new ExtraHost("db", "10.0.0.5"), ExtraHost.parse("db:10.0.0.5"));
        assertEquals(new ExtraHost("db", "10.0.0.5"), ExtraHost.parse("db=10.0.0.5"));
        assertEquals(new ExtraHost("v6", "::1"), ExtraHost.parse("v6:::1"));
        assertEquals(new ExtraHost("v6", "2001:db8::2"), ExtraHost.parse("v6=2001:db8::2"));
        assertEquals(new ExtraHost("host.docker.internal", "127.0.0.1"), ExtraHost.parse("host.docker.internal:host-gateway"));
        assertEquals("10.0.0.5\tdb", ExtraHost.parse("db:10.0.0.5").line());
        assertEquals("invalid IP address \"example.com\" for --add-host db",
                assertThrows(IllegalArgumentException.class, () -> ExtraHost.parse("db:example.com")).getMessage());
        assertEquals("invalid --add-host \"db\" (expected NAME:ADDRESS)",
                assertThrows(IllegalArgumentException.class, () -> ExtraHost.parse("db")).getMessage());
        assertEquals("invalid host name \"a b\" for --add-host",
                assertThrows(IllegalArgumentException.class, () -> ExtraHost.parse("a b:10.0.0.1")).getMessage());
    }

    @Test
    void networkIsOneOfBuildKitsModes() {
        assertEquals("none", BuildRequest.builder(CONTEXT).network("none").build().network());
        assertEquals("default", BuildRequest.builder(CONTEXT).build().network());
        assertEquals("unknown network \"bridge\" (--network takes default, none or host)",
                assertThrows(IllegalArgumentException.class, () -> BuildRequest.builder(CONTEXT).network("bridge").build())
                        .getMessage());
    }

    @Test
    void buildContextsAreDirectoriesImagesOrOciLayouts() {
        assertEquals(new NamedContext.Named("docs", new NamedContext.Directory(Path.of("docs"))), NamedContext.parse("Docs=docs"));
        assertEquals(new NamedContext.Named("alpine", new NamedContext.Image("alpine:3.20")),
                NamedContext.parse("alpine=docker-image://alpine:3.20"));
        assertEquals(new NamedContext.Named("base", new NamedContext.OciLayout(Path.of("/l"), "v1")),
                NamedContext.parse("base=oci-layout:///l:v1"));
        assertEquals(new NamedContext.Named("base", new NamedContext.OciLayout(Path.of("/l"), "sha256:" + "a".repeat(64))),
                NamedContext.parse("base=oci-layout:///l@sha256:" + "a".repeat(64)));
        assertEquals(new NamedContext.Named("base", new NamedContext.OciLayout(Path.of("/a:b/l"), "latest")),
                NamedContext.parse("base=oci-layout:///a:b/l"));
        assertEquals("unsupported --build-context src=https://github.com/x/y.git (jbuild takes a directory, "
                        + "docker-image://REF or oci-layout://DIR[:TAG])",
                assertThrows(IllegalArgumentException.class, () -> NamedContext.parse("src=https://github.com/x/y.git"))
                        .getMessage());
        assertEquals("invalid --build-context \"docs\" (expected NAME=VALUE)",
                assertThrows(IllegalArgumentException.class, () -> NamedContext.parse("docs")).getMessage());
    }
}
