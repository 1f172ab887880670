package dev.jbuild.dockerfile;

import dev.jbuild.dockerfile.internal.GoText;
import dev.jbuild.dockerfile.internal.ShellPatterns;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Shell-word expansion with BuildKit's rules: quotes, the escape character, {@code $X},
 * {@code ${X}} and the {@code ${X:-w}}-family modifiers, then word splitting of unquoted
 * expansion results. Instances are immutable and safe to share; each call has its own state.
 *
 * @param escapeToken       {@code \} or {@code `}, from the {@code escape} directive
 * @param rawQuotes         keep quote characters in the output
 * @param rawEscapes        keep escape characters in the output
 * @param skipProcessQuotes treat quotes as ordinary characters (heredoc bodies)
 * @param skipUnsetEnv      leave references to unset variables as they were written
 */
public record ShellLexer(char escapeToken, boolean rawQuotes, boolean rawEscapes, boolean skipProcessQuotes,
                         boolean skipUnsetEnv) {

    public ShellLexer {
        if (escapeToken != '\\' && escapeToken != '`') {
            throw new IllegalArgumentException("invalid escape token '" + escapeToken + "' does not match ` or \\");
        }
    }

    /** The lexer BuildKit uses for instruction arguments with the given escape token. */
    public static ShellLexer withEscape(char escapeToken) {
        return new ShellLexer(escapeToken, false, false, false, false);
    }

    /** This lexer, keeping quote characters. */
    public ShellLexer keepingQuotes() {
        return new ShellLexer(escapeToken, true, rawEscapes, skipProcessQuotes, skipUnsetEnv);
    }

    /** This lexer, keeping escape characters. */
    public ShellLexer keepingEscapes() {
        return new ShellLexer(escapeToken, rawQuotes, true, skipProcessQuotes, skipUnsetEnv);
    }

    /** This lexer, with quotes treated as ordinary characters. */
    public ShellLexer ignoringQuotes() {
        return new ShellLexer(escapeToken, rawQuotes, rawEscapes, true, skipUnsetEnv);
    }

    /** This lexer, leaving references to unset variables untouched. */
    public ShellLexer keepingUnsetVariables() {
        return new ShellLexer(escapeToken, rawQuotes, rawEscapes, skipProcessQuotes, true);
    }

    /** Expands {@code word} to one string, keeping the spaces between words ({@code ProcessWord}). */
    public String processWord(String word, Environment environment) throws ExpansionException {
        return processWordWithMatches(word, environment).result();
    }

    /** Expands {@code word} and splits the result into words; quoted parts stay whole ({@code ProcessWords}). */
    public List<String> processWords(String word, Environment environment) throws ExpansionException {
        return processWordWithMatches(word, environment).words();
    }

    /** Expands {@code word}, returning both forms and which variables were found or missing. */
    public ExpansionResult processWordWithMatches(String word, Environment environment) throws ExpansionException {
        Scan scan = new Scan(word, environment);
        try {
            Piece piece = scan.processUntil(EOF, rawEscapes);
            return new ExpansionResult(piece.text(), piece.words(), scan.matched, scan.unmatched);
        } catch (ExpansionException e) {
            throw new ExpansionException("failed to process " + GoText.quote(word) + ": " + e.getMessage());
        }
    }

    private static final int EOF = -1;

    private record Piece(String text, List<String> words) {
    }

    /** Collects words the way BuildKit splits them: only unquoted expansion results and plain characters split. */
    private static final class Words {
        private final List<String> words = new ArrayList<>();
        private final StringBuilder word = new StringBuilder();
        private boolean inWord;

        void addChar(int codePoint) {
            boolean space = GoText.isSpace(codePoint);
            if (space && inWord) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (!space) {
                addRawChar(codePoint);
            }
        }

        void addRawChar(int codePoint) {
            word.appendCodePoint(codePoint);
            inWord = true;
        }

        void addString(String text) {
            text.codePoints().forEach(this::addChar);
        }

        void addRawString(String text) {
            word.append(text);
            inWord = true;
        }

        List<String> finish() {
            if (!word.isEmpty()) {
                words.add(word.toString());
                word.setLength(0);
                inWord = false;
            }
            return words;
        }
    }

    /** The state of one expansion: the input, the position and the variables seen. */
    private final class Scan {
        private final int[] input;
        private final Environment environment;
        private final Set<String> matched = new LinkedHashSet<>();
        private final Set<String> unmatched = new LinkedHashSet<>();
        private int position;
        private boolean keepEscapes;

        Scan(String word, Environment environment) {
            this.input = word.codePoints().toArray();
            this.environment = environment;
            this.keepEscapes = rawEscapes;
        }

        private int peek() {
            return position < input.length ? input[position] : EOF;
        }

        private int peekAt(int offset) {
            return position + offset < input.length ? input[position + offset] : EOF;
        }

        private int next() {
            return position < input.length ? input[position++] : EOF;
        }

        Piece processUntil(int stop, boolean escapesKept) throws ExpansionException {
            boolean saved = keepEscapes;
            keepEscapes = escapesKept;
            try {
                return scanUntil(stop);
            } finally {
                keepEscapes = saved;
            }
        }

        private Piece scanUntil(int stop) throws ExpansionException {
            StringBuilder result = new StringBuilder();
            Words words = new Words();
            while (peek() != EOF) {
                int ch = peek();
                if (stop != EOF && ch == stop) {
                    next();
                    return new Piece(result.toString(), words.finish());
                }
                if (ch == '$') {
                    String value = processDollar();
                    result.append(value);
                    words.addString(value);
                } else if (!skipProcessQuotes && ch == '\'') {
                    String value = processSingleQuote();
                    result.append(value);
                    words.addRawString(value);
                } else if (!skipProcessQuotes && ch == '"') {
                    String value = processDoubleQuote();
                    result.append(value);
                    words.addRawString(value);
                } else if (ch == '<' && peekAt(1) == '<') {
                    // A heredoc operator stays glued to its name, also across blanks (`<< EOF`).
                    gluedHeredocOperator(result, words);
                } else {
                    ch = next();
                    if (ch == escapeToken) {
                        if (keepEscapes) {
                            words.addRawChar(ch);
                            result.appendCodePoint(ch);
                        }
                        ch = next();
                        if (ch == EOF) {
                            break;
                        }
                        words.addRawChar(ch);
                    } else {
                        words.addChar(ch);
                    }
                    result.appendCodePoint(ch);
                }
            }
            if (stop != EOF) {
                throw new ExpansionException("unexpected end of statement while looking for matching "
                        + Character.toString(stop));
            }
            return new Piece(result.toString(), words.finish());
        }

        private void gluedHeredocOperator(StringBuilder result, Words words) {
            for (int i = 0; i < 2; i++) {
                int ch = next();
                result.appendCodePoint(ch);
                words.addRawChar(ch);
            }
            if (peek() == '-') {
                result.append('-');
                words.addRawChar(next());
            }
            while (peek() == ' ' || peek() == '\t') {
                int ch = next();
                result.appendCodePoint(ch);
                words.addRawChar(ch);
            }
        }

        private String processSingleQuote() throws ExpansionException {
            StringBuilder result = new StringBuilder();
            int ch = next();
            if (rawQuotes) {
                result.appendCodePoint(ch);
            }
            while (true) {
                ch = next();
                if (ch == EOF) {
                    throw new ExpansionException("unexpected end of statement while looking for matching single-quote");
                }
                if (ch == '\'') {
                    if (rawQuotes) {
                        result.appendCodePoint(ch);
                    }
                    return result.toString();
                }
                result.appendCodePoint(ch);
            }
        }

        private String processDoubleQuote() throws ExpansionException {
            StringBuilder result = new StringBuilder();
            int ch = next();
            if (rawQuotes) {
                result.appendCodePoint(ch);
            }
            while (true) {
                int ahead = peek();
                if (ahead == EOF) {
                    throw new ExpansionException("unexpected end of statement while looking for matching double-quote");
                }
                if (ahead == '"') {
                    next();
                    if (rawQuotes) {
                        result.append('"');
                    }
                    return result.toString();
                }
                if (ahead == '$') {
                    result.append(processDollar());
                    continue;
                }
                ch = next();
                if (ch == escapeToken) {
                    if (keepEscapes) {
                        result.appendCodePoint(ch);
                    }
                    int escaped = peek();
                    if (escaped == EOF) {
                        continue;
                    }
                    if (escaped == '"' || escaped == '$' || escaped == escapeToken) {
                        ch = next();
                    }
                }
                result.appendCodePoint(ch);
            }
        }

        private String processDollar() throws ExpansionException {
            next();
            if (peek() != '{') {
                String name = processName();
                if (name.isEmpty()) {
                    return "$";
                }
                Optional<String> value = lookup(name);
                if (value.isEmpty() && skipUnsetEnv) {
                    return "$" + name;
                }
                return value.orElse("");
            }
            next();
            int first = peek();
            if (first == EOF) {
                throw new ExpansionException("syntax error: missing '}'");
            }
            if (first == '{' || first == '}' || first == ':') {
                throw new ExpansionException("syntax error: bad substitution");
            }
            String name = processName();
            int ch = next();
            String modifier = asModifier(ch);
            if (ch == '}') {
                Optional<String> value = lookup(name);
                if (value.isEmpty() && skipUnsetEnv) {
                    return "${" + name + "}";
                }
                return value.orElse("");
            }
            if (ch == '/') {
                return processReplacement(name);
            }
            boolean nullIsUnset = false;
            if (ch == ':') {
                nullIsUnset = true;
                ch = next();
                modifier += asModifier(ch);
            } else if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
                throw new ExpansionException("unsupported modifier (" + modifier + ") in substitution");
            }
            Piece word;
            try {
                word = processUntil('}', ch == '#' || ch == '%');
            } catch (ExpansionException e) {
                if (peek() == EOF) {
                    throw new ExpansionException("syntax error: missing '}'");
                }
                throw e;
            }
            Optional<String> value = lookup(name);
            if (skipUnsetEnv && value.isEmpty()) {
                return "${" + name + modifier + word.text() + "}";
            }
            boolean unset = value.isEmpty() || (nullIsUnset && value.get().isEmpty());
            return switch (ch) {
                case '-' -> unset ? word.text() : value.get();
                case '+' -> unset ? "" : word.text();
                case '?' -> {
                    if (value.isEmpty()) {
                        throw new ExpansionException(name + ": "
                                + (word.text().isEmpty() ? "is not allowed to be unset" : word.text()));
                    }
                    if (unset) {
                        throw new ExpansionException(name + ": "
                                + (word.text().isEmpty() ? "is not allowed to be empty" : word.text()));
                    }
                    yield value.get();
                }
                case '#', '%' -> {
                    if (nullIsUnset) {
                        throw new ExpansionException("unsupported modifier (" + modifier + ") in substitution");
                    }
                    String pattern = word.text();
                    boolean longest = !pattern.isEmpty() && pattern.charAt(0) == ch;
                    if (longest) {
                        pattern = pattern.substring(1);
                    }
                    yield ch == '%'
                            ? ShellPatterns.trimSuffix(pattern, value.orElse(""), longest)
                            : ShellPatterns.trimPrefix(pattern, value.orElse(""), longest);
                }
                default -> throw new ExpansionException("unsupported modifier (" + modifier + ") in substitution");
            };
        }

        private String processReplacement(String name) throws ExpansionException {
            boolean all = peek() == '/';
            if (all) {
                next();
            }
            Piece pattern;
            try {
                pattern = processUntil('/', true);
            } catch (ExpansionException e) {
                if (peek() == EOF) {
                    throw new ExpansionException("syntax error: missing '/' in ${}");
                }
                throw e;
            }
            Piece replacement;
            try {
                replacement = processUntil('}', true);
            } catch (ExpansionException e) {
                if (peek() == EOF) {
                    throw new ExpansionException("syntax error: missing '}'");
                }
                throw e;
            }
            Optional<String> value = lookup(name);
            if (skipUnsetEnv && value.isEmpty()) {
                return "${" + name + "/" + pattern.text() + "/" + replacement.text() + "}";
            }
            return ShellPatterns.replace(pattern.text(), replacement.text(), value.orElse(""), all);
        }

        private String processName() {
            StringBuilder name = new StringBuilder();
            while (peek() != EOF) {
                int ch = peek();
                if (name.isEmpty() && Character.isDigit(ch)) {
                    while (peek() != EOF && Character.isDigit(peek())) {
                        name.appendCodePoint(next());
                    }
                    return name.toString();
                }
                if (name.isEmpty() && isSpecialParameter(ch)) {
                    return Character.toString(next());
                }
                if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
                    break;
                }
                name.appendCodePoint(next());
            }
            return name.toString();
        }

        // Go turns the end-of-input marker into U+FFFD when it prints a modifier.
        private static String asModifier(int ch) {
            return ch == EOF ? "\uFFFD" : Character.toString(ch);
        }

        private static boolean isSpecialParameter(int ch) {
            return ch == '@' || ch == '*' || ch == '#' || ch == '?' || ch == '-' || ch == '$' || ch == '!' || ch == '0';
        }

        private Optional<String> lookup(String name) {
            Optional<String> value = environment.lookup(name);
            (value.isPresent() ? matched : unmatched).add(name);
            return value;
        }
    }
}
