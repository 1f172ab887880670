package dev.jbuild.dockerfile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Go's quoting, whitespace and duration rules, which the dump and the errors must reproduce. */
class GoTextTest {
    @Test
    void quotesLikeStrconvQuote() {
        assertEquals("\"a \\\"b\\\" \\\\ c\"", GoText.quote("a \"b\" \\ c"));
        assertEquals("\"\\a\\b\\f\\n\\r\\t\\v\"", GoText.quote("\u0007\b\f\n\r\t\u000b"));
        assertEquals("\"\\x00\\x1f\\x7f\"", GoText.quote("\u0000\u001f\u007f"));
        assertEquals("\"\\u0085\\u00a0\\u00ad\\u200b\\u2028\"", GoText.quote("\u0085\u00a0\u00ad\u200b\u2028"));
        assertEquals("\"é♥☃😀\"", GoText.quote("é♥☃😀"));
        assertEquals("\"\\U000e0001\"", GoText.quote(new String(Character.toChars(0xE0001))));
    }

    @Test
    void usesGoWhitespace() {
        assertTrue(GoText.isSpace(0xA0));
        assertTrue(GoText.isSpace(0x85));
        assertTrue(GoText.isSpace(0x3000));
        assertFalse(GoText.isSpace(0x1C));
        assertFalse(GoText.isSpace(0x200B));
        assertEquals("a b", GoText.trimSpace("\u00a0\t a b \u2003\r\n"));
        assertEquals("x", GoText.trimNewline("x\r\n\r\n"));
    }

    @Test
    void parsesGoDurations() {
        assertEquals(Duration.ofSeconds(90), GoDurations.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), GoDurations.parse("1.5s"));
        assertEquals(Duration.ofNanos(2500), GoDurations.parse("2.5µs"));
        assertEquals(Duration.ofHours(2), GoDurations.parse("2h"));
        assertEquals(Duration.ZERO, GoDurations.parse("0"));
        assertEquals(Duration.ofMillis(-5), GoDurations.parse("-5ms"));
        assertEquals("time: missing unit in duration \"5\"",
                assertThrows(IllegalArgumentException.class, () -> GoDurations.parse("5")).getMessage());
        assertEquals("time: unknown unit \"d\" in duration \"1d\"",
                assertThrows(IllegalArgumentException.class, () -> GoDurations.parse("1d")).getMessage());
        assertEquals("time: invalid duration \"\"",
                assertThrows(IllegalArgumentException.class, () -> GoDurations.parse("")).getMessage());
    }

    @Test
    void splitsMountCsvAndSizes() {
        assertEquals(List.of("type=bind", "source=a,b", "target=/x"), MountSpecs.csvFields("type=bind,\"source=a,b\",target=/x"));
        assertEquals(64L << 20, MountSpecs.ramInBytes("64m"));
        assertEquals(1536, MountSpecs.ramInBytes("1.5KiB"));
        assertEquals(100, MountSpecs.ramInBytes("100"));
    }

    @Test
    void suggestsCloseWords() {
        assertEquals(" (did you mean COPY?)", Suggestions.didYouMean("COPPY", List.of("copy", "cmd"), true));
        assertEquals(" (did you mean copy?)", Suggestions.didYouMean("cpy", List.of("copy", "cmd"), true));
        assertEquals("", Suggestions.didYouMean("SOMETHINGELSE", List.of("copy", "cmd"), true));
    }
}
