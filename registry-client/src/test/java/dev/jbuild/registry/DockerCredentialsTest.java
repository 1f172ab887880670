package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerCredentialsTest {
    @TempDir
    Path home;

    @Test
    void readsDockerConfigAuthsIncludingDockerHubsUrlKey() throws IOException {
        Path config = Files.createDirectories(home.resolve(".docker")).resolve("config.json");
        Files.writeString(config, """
                {"auths": {
                  "https://index.docker.io/v1/": {"auth": "aHViOnNlY3JldA=="},
                  "ghcr.io": {"auth": "", "identitytoken": "refresh-token"}
                }, "psFormat": "keep me"}
                """);
        DockerCredentials credentials = DockerCredentials.fromEnvironment(Map.of(), home);

        assertEquals(Optional.of(Credentials.basic("hub", "secret")), credentials.credentialsFor("docker.io"));
        assertTrue(credentials.credentialsFor("ghcr.io").orElseThrow().hasIdentityToken());
        assertEquals(Optional.empty(), credentials.credentialsFor("quay.io"));
    }

    @Test
    void containersAuthFileComesBeforeDockerConfig() throws IOException {
        Path runtime = Files.createDirectories(home.resolve("run/containers"));
        Files.writeString(runtime.resolve("auth.json"), "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"cG9kOm1hbg==\"}}}");
        Path docker = Files.createDirectories(home.resolve(".docker"));
        Files.writeString(docker.resolve("config.json"), "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"ZG9jazplcg==\"}}}");
        DockerCredentials credentials = DockerCredentials.fromEnvironment(
                Map.of("XDG_RUNTIME_DIR", home.resolve("run").toString()), home);

        assertEquals(Optional.of(Credentials.basic("pod", "man")), credentials.credentialsFor("127.0.0.1:5000"));
    }

    @Test
    void loginWritesLikeDockerKeepingOtherSettingsAndLogoutRemoves() throws IOException {
        Path dockerDir = Files.createDirectories(home.resolve("cfg"));
        Files.writeString(dockerDir.resolve("config.json"), "{\"psFormat\":\"table\"}");
        DockerCredentials credentials = DockerCredentials.fromEnvironment(
                Map.of("DOCKER_CONFIG", dockerDir.toString()), home);

        credentials.store("docker.io", Credentials.basic("hub", "secret"));
        String written = Files.readString(dockerDir.resolve("config.json"));
        assertTrue(written.contains("\"https://index.docker.io/v1/\""), written);
        assertTrue(written.contains("aHViOnNlY3JldA=="), written);
        assertTrue(written.contains("\"psFormat\" : \"table\""), written);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dockerDir.resolve("config.json"))));
        assertEquals(Optional.of(Credentials.basic("hub", "secret")), credentials.credentialsFor("index.docker.io"));

        assertTrue(credentials.erase("docker.io"));
        assertFalse(credentials.erase("docker.io"));
        assertEquals(Optional.empty(), credentials.credentialsFor("docker.io"));
    }

    @Test
    void aDamagedConfigIsNamedInTheError() throws IOException {
        Path config = home.resolve("auth.json");
        Files.writeString(config, "{\"auths\":{\"r.example\":{\"auth\":\"bm9jb2xvbg==\"}}}");
        DockerCredentials credentials = new DockerCredentials(List.of(config), config);

        IOException error = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> credentials.credentialsFor("r.example"));
        assertTrue(error.getMessage().startsWith(config.toString()), error.getMessage());
    }
}
