package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.testing.CredentialHelperScript;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.registry.testing.MemoryContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-credential-* helpers run for real: a /bin/sh helper found through an explicit search
 * path gives the only credentials a real htpasswd docker-registry accepts.
 */
class CredentialHelperIT {
    @TempDir
    static Path shared;
    static LocalRegistry basic;
    static MemoryContent local = new MemoryContent();
    static Descriptor image;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBasicRegistryWithAnImage() throws IOException {
        LocalRegistry.assumeInstalled();
        Path htpasswd = shared.resolve("htpasswd");
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        Files.writeString(htpasswd, "tester:" + OpenBSDBCrypt.generate("2a", "s3cret".toCharArray(), salt, 6) + "\n");
        basic = LocalRegistry.htpasswd(Files.createDirectories(shared.resolve("basic")), htpasswd);
        image = local.image("v1", new Platform("linux", "amd64"), 2, 5_000, 31);
        try (Registry pusher = new Registry(RegistryIT.options(r -> Optional.of(Credentials.basic("tester", "s3cret"))))) {
            new ContentCopy(local, pusher.repository(Reference.parse(basic.host() + "/private/app:v1")), null, 2, null)
                    .copy("v1", "v1");
        }
    }

    @AfterAll
    static void stop() {
        if (basic != null) {
            basic.close();
        }
    }

    private DockerCredentials configWith(String json, CredentialHelperScript helper) throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, json);
        return new DockerCredentials(List.of(config), config).withHelperPath(List.of(helper.directory()));
    }

    private static Descriptor pull(DockerCredentials credentials) throws IOException {
        MemoryContent into = new MemoryContent();
        try (Registry client = new Registry(RegistryIT.options(credentials))) {
            new ContentCopy(client.pullRepository(Reference.parse(basic.host() + "/private/app:v1")), into, null, 2,
                    null).copy("v1", "v1");
        }
        return into.resolve("v1");
    }

    @Test
    void credsStoreAndCredHelpersGiveTheHelpersCredentials() throws IOException {
        CredentialHelperScript helper = CredentialHelperScript.install(dir.resolve("helpers"), "jbuildtest");
        helper.put(basic.host(), "tester", "s3cret");

        assertEquals(image, pull(configWith("{\"credsStore\":\"jbuildtest\"}", helper)));
        assertEquals(image, pull(configWith("{\"credHelpers\":{\"" + basic.host() + "\":\"jbuildtest\"},"
                + "\"auths\":{\"" + basic.host() + "\":{\"auth\":\"d3Jvbmc6d3Jvbmc=\"}}}", helper)));
        assertTrue(helper.calls().contains("get " + basic.host()), helper.calls().toString());
    }

    @Test
    void aHelperThatKnowsNothingLeavesTheRequestAnonymousAndTheRegistrySays401() throws IOException {
        CredentialHelperScript helper = CredentialHelperScript.install(dir.resolve("helpers"), "jbuildtest");
        DockerCredentials credentials = configWith("{\"credsStore\":\"jbuildtest\"}", helper);

        assertEquals(Optional.empty(), credentials.credentialsFor(basic.host()));
        RegistryException denied = assertThrows(RegistryException.class, () -> pull(credentials));
        assertEquals(401, denied.status());
        assertTrue(denied.getMessage().startsWith(basic.host() + "/private/app: "), denied.getMessage());
    }

    @Test
    void aMissingHelperIsNamedInTheError() throws IOException {
        CredentialHelperScript helper = CredentialHelperScript.install(dir.resolve("helpers"), "jbuildtest");
        DockerCredentials credentials = configWith("{\"credsStore\":\"jbuildmissing\"}", helper);

        IOException failure = assertThrows(IOException.class, () -> pull(credentials));
        assertTrue(failure.getMessage().contains("docker-credential-jbuildmissing")
                && failure.getMessage().contains("not installed")
                && failure.getMessage().contains(helper.directory().toString()), failure.getMessage());
    }

    @Test
    void loginStoresThroughTheHelperAndLogoutErases() throws IOException {
        CredentialHelperScript helper = CredentialHelperScript.install(dir.resolve("helpers"), "jbuildtest");
        DockerCredentials credentials = configWith("{\"credsStore\":\"jbuildtest\",\"detachKeys\":\"ctrl-x\"}",
                helper);

        credentials.store(basic.host(), Credentials.basic("tester", "s3cret"));

        assertTrue(helper.holds(basic.host()));
        assertTrue(helper.calls().contains("store " + basic.host()), helper.calls().toString());
        String config = Files.readString(credentials.dockerConfig());
        assertFalse(config.contains("s3cret"), config);
        assertTrue(config.contains("detachKeys") && config.contains("\"" + basic.host() + "\""), config);
        assertEquals(image, pull(credentials));

        assertTrue(credentials.erase(basic.host()));
        assertFalse(helper.holds(basic.host()));
        assertTrue(helper.calls().contains("erase " + basic.host()), helper.calls().toString());
        assertFalse(Files.readString(credentials.dockerConfig()).contains("\"" + basic.host() + "\""));
    }
}
