package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbuild build --check}: the Dockerfile's checks alone, as {@code docker build --check} runs them. */
class BuildCheckTest {
    @TempDir
    Path tmp;

    private CliRun check(String dockerfile, String... options) throws IOException {
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), dockerfile);
        List<String> args = new java.util.ArrayList<>(List.of("--root", tmp.resolve("store").toString(), "build", "--check"));
        args.addAll(List.of(options));
        args.add(context.toString());
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void listsWhatTheChecksFindAndExitsOneWithoutBuilding() throws IOException {
        CliRun found = check("FROM scratch AS Build\nCMD run\n", "--progress", "plain");
        assertEquals(1, found.exitCode(), found.err());
        assertEquals(List.of("2 warnings found:",
                " - StageNameCasing: Stage name 'Build' should be lowercase (line 1)",
                " - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS"
                        + " signals (line 2)",
                "Check complete, 2 warnings have been found!"), found.err().lines().toList());
        assertEquals("", found.out(), "no image digest: nothing was built");
        assertFalse(Files.exists(tmp.resolve("store/index.json")) && Files.readString(tmp.resolve("store/index.json"))
                .contains("org.opencontainers.image.ref.name"), "no image was named in the store");
    }

    @Test
    void aCleanDockerfileExitsZero() throws IOException {
        CliRun clean = check("FROM scratch\nCMD [\"run\"]\n", "--progress", "plain");
        assertEquals(0, clean.exitCode(), clean.err());
        assertEquals("Check complete, no warnings found.\n", clean.err());
    }

    @Test
    void jsonProgressGivesOneWarningEventEach() throws IOException {
        CliRun json = check("FROM scratch\nCMD run\n", "--progress", "json");
        assertEquals(1, json.exitCode(), json.err());
        List<String> lines = json.err().lines().toList();
        assertEquals(1, lines.size(), json.err());
        assertEquals(Map.of("event", "warning", "rule", "JSONArgsRecommended", "line", 2,
                        "message", "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals"),
                Json.read(lines.getFirst().getBytes(StandardCharsets.UTF_8)));
        assertTrue(json.out().isEmpty(), json.out());
    }
}
