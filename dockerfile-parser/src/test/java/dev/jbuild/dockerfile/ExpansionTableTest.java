package dev.jbuild.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Table of shell-word expansions ({@code expansion.tsv}) against a fixed environment, as BuildKit's lexer expands them. */
class ExpansionTableTest {
    private static final Environment ENVIRONMENT = Environment.of(Map.ofEntries(
            Map.entry("A", "a"), Map.entry("B", "bb"), Map.entry("EMPTY", ""), Map.entry("SP", "x y"),
            Map.entry("P", "/usr/local/bin:/usr/bin"), Map.entry("FILE", "archive.tar.gz"),
            Map.entry("URL", "https://example.com/a/b/c"), Map.entry("STARS", "a*b*c"), Map.entry("QUOTE", "it's"),
            Map.entry("LEAD", "  lead  "), Map.entry("UNI", "héllo"), Map.entry("DOTS", "a.b.c.d"),
            Map.entry("REP", "foofoofoo"), Map.entry("SLASH", "a/b/c"), Map.entry("PCT", "100%"),
            Map.entry("BS", "a\\b")));

    private static List<String[]> rows() throws IOException {
        try (InputStream in = ExpansionTableTest.class.getResourceAsStream("/expansion.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(line -> !line.startsWith("#") && !line.isEmpty())
                    .map(line -> line.split("\t", -1)).toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> expandsLikeBuildKit() throws IOException {
        List<String[]> rows = rows();
        assertTrue(rows.size() >= 150, "the table has " + rows.size() + " rows");
        return rows.stream().map(row -> dynamicTest(row[0] + " " + row[1] + " " + row[2], () -> {
            assertEquals(4, row.length, "row needs mode, escape, input, expected");
            ShellLexer lexer = ShellLexer.withEscape(row[1].charAt(0));
            String expected = row[3];
            if (expected.startsWith("!")) {
                ExpansionException e = assertThrows(ExpansionException.class, () -> lexer.processWords(row[2], ENVIRONMENT));
                assertEquals("failed to process " + quote(row[2]) + ": " + expected.substring(1), e.getMessage());
            } else if (row[0].equals("words")) {
                List<String> words = lexer.processWords(row[2], ENVIRONMENT);
                assertEquals(expected.equals("∅") ? List.of() : List.of(expected.split("\\|", -1)), words);
            } else {
                assertEquals(expected, lexer.processWord(row[2], ENVIRONMENT));
            }
        }));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void reportsWhichVariablesWereFound() throws ExpansionException {
        ExpansionResult result = ShellLexer.withEscape('\\').processWordWithMatches("$A ${MISSING:-x} $B", ENVIRONMENT);
        assertEquals("a x bb", result.result());
        assertEquals(List.of("a", "x", "bb"), result.words());
        assertEquals(java.util.Set.of("A", "B"), result.matched());
        assertEquals(java.util.Set.of("MISSING"), result.unmatched());
    }

    @Test
    void canLeaveUnsetVariablesAlone() throws ExpansionException {
        ShellLexer lexer = ShellLexer.withEscape('\\').keepingUnsetVariables();
        assertEquals("a $MISSING ${MISSING:-x} ${NOPE}", lexer.processWord("$A $MISSING ${MISSING:-x} ${NOPE}", ENVIRONMENT));
    }

    @Test
    void rawModesKeepQuotesAndEscapes() throws ExpansionException {
        ShellLexer raw = ShellLexer.withEscape('\\').keepingQuotes().keepingEscapes();
        assertEquals("'a b' \"\\$A\"x\\ y", raw.processWord("'a b' \"\\$A\"x\\ y", ENVIRONMENT));
        assertEquals(List.of("'a b'", "\"c\""), raw.processWords("'a b' \"c\"", ENVIRONMENT));
        ShellLexer literalQuotes = ShellLexer.withEscape('\\').ignoringQuotes();
        assertEquals("'a' \"bb\"", literalQuotes.processWord("'$A' \"$B\"", ENVIRONMENT));
    }

    @Test
    void environmentEntriesFollowBuildEnvs() {
        Environment environment = Environment.fromEntries(List.of("X=1", "FLAG", "X=2", "EQ=a=b"));
        assertEquals(Optional.of("2"), environment.lookup("X"));
        assertEquals(Optional.of(""), environment.lookup("FLAG"));
        assertEquals(Optional.of("a=b"), environment.lookup("EQ"));
        assertEquals(Optional.empty(), environment.lookup("NONE"));
    }
}
