package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.internal.grammar.JsonArrayLexer;
import dev.jbuild.dockerfile.internal.grammar.JsonArrayParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/** The exec form of an instruction: a JSON array of strings, with BuildKit's fallback and error rules. */
final class JsonArrays {
    /** A valid JSON array with an element that is not a string. */
    static final class NotStringArrayException extends Exception {
        private static final long serialVersionUID = 1L;

        NotStringArrayException() {
            super("when using JSON array syntax, arrays must be comprised of strings only");
        }
    }

    private static final BaseErrorListener FAIL = new BaseErrorListener() {
        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column,
                                String message, RecognitionException cause) {
            throw new ParseCancellationException(message);
        }
    };

    private JsonArrays() {
    }

    /**
     * The strings of {@code text} when it is a JSON array of strings; empty when it is not JSON
     * at all (the instruction is then in shell form).
     */
    static Optional<List<String>> parse(String text) throws NotStringArrayException {
        String trimmed = GoText.trimLeftSpace(text);
        if (!trimmed.startsWith("[")) {
            return Optional.empty();
        }
        int depth = nestingDepth(trimmed);
        if (depth > GO_MAX_DEPTH) {
            return Optional.empty();
        }
        Optional<JsonArrayParser.DocumentContext> document = depth > SHALLOW_DEPTH
                ? parseOnLargeStack(trimmed) : parseDocument(trimmed);
        if (document.isEmpty()) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        for (JsonArrayParser.ValueContext value : document.get().array().value()) {
            if (!(value instanceof JsonArrayParser.StringValueContext string)) {
                throw new NotStringArrayException();
            }
            values.add(decodeString(string.STRING().getText()));
        }
        return Optional.of(values);
    }

    // Go's decoder gives up (a syntax error, so shell form) beyond this depth.
    private static final int GO_MAX_DEPTH = 10_000;
    // Deeper documents are parsed on a thread with a stack big enough for the recursive descent.
    private static final int SHALLOW_DEPTH = 200;

    private static Optional<JsonArrayParser.DocumentContext> parseOnLargeStack(String text) {
        AtomicReference<Optional<JsonArrayParser.DocumentContext>> result = new AtomicReference<>(Optional.empty());
        Thread worker = new Thread(null, () -> result.set(parseDocument(text)), "deep-json", 512L << 20);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing a deeply nested JSON array", e);
        }
        return result.get();
    }

    private static int nestingDepth(String text) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return max;
    }

    private static Optional<JsonArrayParser.DocumentContext> parseDocument(String trimmed) {
        try {
            JsonArrayLexer lexer = new JsonArrayLexer(CharStreams.fromString(trimmed));
            lexer.removeErrorListeners();
            lexer.addErrorListener(FAIL);
            JsonArrayParser parser = new JsonArrayParser(new CommonTokenStream(lexer));
            parser.removeErrorListeners();
            parser.addErrorListener(FAIL);
            parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
            return Optional.of(parser.document());
        } catch (ParseCancellationException e) {
            return Optional.empty();
        }
    }

    // Go decodes escapes and turns a lone UTF-16 surrogate into U+FFFD.
    static String decodeString(String literal) {
        StringBuilder out = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = literal.charAt(++i);
            switch (escaped) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(escaped);
            }
        }
        return GoText.replaceEscapedBytes(replaceLoneSurrogates(out));
    }

    private static String replaceLoneSurrogates(StringBuilder text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c) && !GoText.isEscapedByte(c)) {
                text.setCharAt(i, '\uFFFD');
            }
        }
        return text.toString();
    }
}
