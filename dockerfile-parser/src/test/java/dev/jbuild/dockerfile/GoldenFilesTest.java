package dev.jbuild.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case under {@code testdata/dockerfiles} (the dump must match byte for byte, and the
 * typed parse must succeed or fail as {@code typed-error} says) and under
 * {@code testdata/dockerfiles-negative} (the error's line and message must match {@code error}).
 */
class GoldenFilesTest {
    private static Path testdata() {
        return Path.of(System.getProperty("jbuild.testdata", "../testdata"));
    }

    private static List<Path> cases(String folder) throws IOException {
        try (Stream<Path> children = Files.list(testdata().resolve(folder))) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    @TestFactory
    Stream<DynamicTest> dumpsMatchBuildKit() throws IOException {
        List<Path> cases = cases("dockerfiles");
        assertTrue(cases.size() >= 20, "expected the golden cases under testdata/dockerfiles");
        return cases.stream().map(dir -> dynamicTest(dir.getFileName().toString(), () -> {
            byte[] text = Files.readAllBytes(dir.resolve("Dockerfile"));
            assertEquals(read(dir.resolve("dump")), DockerfileParser.parseSyntax("Dockerfile", text).dump());
            Path typedError = dir.resolve("typed-error");
            if (Files.exists(typedError)) {
                DockerfileException e = assertThrows(DockerfileException.class,
                        () -> DockerfileParser.parse("Dockerfile", text));
                assertEquals(read(typedError).strip(), e.getMessage());
            } else {
                Dockerfile dockerfile = DockerfileParser.parse("Dockerfile", text);
                assertEquals(dockerfile.syntax().nodes().size(), dockerfile.instructions().size());
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> rejectedLikeBuildKit() throws IOException {
        List<Path> cases = cases("dockerfiles-negative");
        assertTrue(cases.size() >= 40, "expected the negative cases under testdata/dockerfiles-negative");
        return cases.stream().map(dir -> dynamicTest(dir.getFileName().toString(), () -> {
            String text = read(dir.resolve("Dockerfile"));
            List<String> expected = read(dir.resolve("error")).lines().toList();
            DockerfileException e = assertThrows(DockerfileException.class,
                    () -> DockerfileParser.parse("Dockerfile", text));
            assertEquals(expected.get(1), e.getMessage());
            assertEquals(Integer.parseInt(expected.get(0)), e.line(), "line of: " + e.getMessage());
            assertTrue(e.formatted().startsWith("Dockerfile:" + e.line() + ":" + e.column() + ": " + e.getMessage()),
                    e.formatted());
        }));
    }
}
