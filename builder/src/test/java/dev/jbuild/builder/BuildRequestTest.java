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
        assertEquals(Set.of(), BuildRequest.builder(CONTEXT).build().run().entitlements());
        assertEquals(Set.of("security.insecure"),
                BuildRequest.builder(CONTEXT).allow(RunSettings.SECURITY_INSECURE).build().run().entitlements());
        assertEquals(Set.of("security.insecure", "network.host"), BuildRequest.builder(CONTEXT)
                .allow(RunSettings.SECURITY_INSECURE).allow(RunSettings.NETWORK_HOST).build().run().entitlements());
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
        assertEquals("none", BuildRequest.builder(CONTEXT).network("none").build().run().network());
        assertEquals("default", BuildRequest.builder(CONTEXT).build().run().network());
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

    @Test
    void annotationsTakeBuildxForms() {
        assertEquals(new Annotation(Set.of(Annotation.Level.MANIFEST), java.util.Optional.empty(), "k", "v=w"),
                Annotation.parse("k=v=w"));
        assertEquals(new Annotation(Set.of(Annotation.Level.INDEX, Annotation.Level.MANIFEST), java.util.Optional.empty(),
                "org.opencontainers.image.authors", "me"), Annotation.parse("index,manifest:org.opencontainers.image.authors=me"));
        assertEquals(new Annotation(Set.of(Annotation.Level.MANIFEST_DESCRIPTOR),
                java.util.Optional.of(dev.jbuild.oci.Platform.parse("linux/arm64")), "k", "v"),
                Annotation.parse("manifest-descriptor[linux/arm64]:k=v"));
        assertEquals("unsupported --annotation type \"index-descriptor\" (jbuild writes manifest, index and "
                        + "manifest-descriptor annotations)",
                assertThrows(IllegalArgumentException.class, () -> Annotation.parse("index-descriptor:k=v")).getMessage());
        assertEquals("--annotation \"index[linux/amd64]:k=v\": an index annotation has no platform",
                assertThrows(IllegalArgumentException.class, () -> Annotation.parse("index[linux/amd64]:k=v")).getMessage());
        assertEquals("--format docker manifests have no annotations: use --label, or OCI",
                assertThrows(IllegalArgumentException.class, () -> BuildRequest.builder(CONTEXT)
                        .annotation(Annotation.parse("k=v")).format(ImageFormat.DOCKER).build()).getMessage());
    }
}
