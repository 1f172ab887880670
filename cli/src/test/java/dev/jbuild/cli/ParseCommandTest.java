package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbuild parse}: the dump, the expansion and the summary, with their exit codes and byte-exact output. */
class ParseCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @TempDir
    Path directory;

    @BeforeEach
    void captureStreams() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStreams() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path dockerfile(String text) throws IOException {
        return Files.writeString(directory.resolve("Dockerfile"), text, StandardCharsets.UTF_8);
    }

    @Test
    void dumpsInBuildKitFormat() throws IOException {
        Path file = dockerfile("from busybox\nCOPY --chown=é a b\nRUN echo \"♥\" \\\n\n  \\x\nONBUILD RUN [\"a\"]\n");
        assertEquals(0, Main.run("parse", "--dump", file.toString()));
        assertEquals("(from \"busybox\")\n(copy [\"--chown=Ã©\"] \"a\" \"b\")\n(run \"echo \\\"♥\\\"   \\\\x\")\n"
                + "(onbuild (run \"a\"))\n", stdout());
        assertTrue(stderr().contains("Empty continuation line found in: RUN echo"), stderr());
    }

    @Test
    void dumpFailsOnParseErrors() throws IOException {
        Path file = dockerfile("FROM busybox\nCMD [\"a\", 1]\n");
        assertEquals(1, Main.run("parse", "--dump", file.toString()));
        assertEquals("", stdout());
        assertEquals("Dockerfile:2:1: when using JSON array syntax, arrays must be comprised of strings only\n"
                + "  CMD [\"a\", 1]\n  ^\n", stderr());
    }

    @Test
    void expandsOneWord() {
        assertEquals(0, Main.run("parse", "--expand", "${NAME:-world} ${GREETING}!", "--env", "GREETING=hi"));
        assertEquals("world hi!\n", stdout());
    }

    @Test
    void expandsToWords() {
        assertEquals(0, Main.run("parse", "--expand", "a`$X \"$Y z\" $Y", "--env", "Y=p q", "--escape", "`", "--words"));
        assertEquals("a$X\np q z\np\nq\n", stdout());
    }

    @Test
    void reportsExpansionErrors() {
        assertEquals(1, Main.run("parse", "--expand", "${X:?must be set}"));
        assertEquals("", stdout());
        assertEquals("error: failed to process \"${X:?must be set}\": X: must be set\n", stderr());
    }

    @Test
    void summarizesStages() throws IOException {
        Path file = dockerfile("ARG V=1\nFROM alpine:${V} AS base\nRUN apk add curl\nFROM base\nCMD [\"sh\"]\n");
        assertEquals(0, Main.run("parse", file.toString()));
        assertEquals("""
                2 stages, 5 instructions, escape \\
                global ARG V=1
                stage 0 "base": FROM alpine:${V}  [line 2]
                  RUN         apk add curl  [line 3]
                stage 1: FROM base  [line 4]
                  CMD         [sh]  [line 5]
                """, stdout());
    }

    @Test
    void summaryRejectsUnknownInstructions() throws IOException {
        Path file = dockerfile("FROM busybox\nCOPPY a b\n");
        assertEquals(1, Main.run("parse", file.toString()));
        assertEquals("Dockerfile:2:1: unknown instruction: COPPY (did you mean COPY?)\n  COPPY a b\n  ^\n", stderr());
    }

    @Test
    void rejectsABadEscapeAsUsage() {
        assertEquals(2, Main.run("parse", "--expand", "x", "--escape", "/"));
    }
}
