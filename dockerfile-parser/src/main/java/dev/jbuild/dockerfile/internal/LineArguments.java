package dev.jbuild.dockerfile.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * BuildKit's dispatch table: how each instruction's argument text becomes its argument list
 * (JSON or shell form, whitespace lists, {@code key=value} pairs, raw words, one string).
 */
final class LineArguments {
    /** What an argument parser produced. */
    record Parsed(List<String> args, boolean json) {
        static final Parsed NONE = new Parsed(List.of(), false);
    }

    /** An argument text BuildKit refuses. */
    static final class ArgumentException extends Exception {
        private static final long serialVersionUID = 1L;

        ArgumentException(String message) {
            super(message);
        }
    }

    private LineArguments() {
    }

    /** The argument parser of every known instruction except ONBUILD; unknown ones keep one empty argument. */
    static Parsed parse(String name, String rest, char escapeToken) throws ArgumentException {
        try {
            return switch (name) {
                case "add", "copy", "volume" -> maybeJsonToList(rest);
                case "run", "cmd", "entrypoint", "shell" -> maybeJson(rest);
                case "env" -> nameValue(rest, "ENV", escapeToken);
                case "label" -> nameValue(rest, "LABEL", escapeToken);
                case "arg" -> new Parsed(words(rest, escapeToken), false);
                case "from", "expose" -> new Parsed(whitespaceDelimited(rest), false);
                case "healthcheck" -> healthConfig(rest);
                case "maintainer", "user", "workdir", "stopsignal" ->
                        rest.isEmpty() ? Parsed.NONE : new Parsed(List.of(rest), false);
                default -> new Parsed(List.of(""), false);
            };
        } catch (JsonArrays.NotStringArrayException e) {
            throw new ArgumentException(e.getMessage());
        }
    }

    private static Parsed maybeJson(String rest) throws JsonArrays.NotStringArrayException {
        if (rest.isEmpty()) {
            return Parsed.NONE;
        }
        Optional<List<String>> json = JsonArrays.parse(rest);
        return json.map(values -> new Parsed(values, true)).orElseGet(() -> new Parsed(List.of(rest), false));
    }

    private static Parsed maybeJsonToList(String rest) throws JsonArrays.NotStringArrayException {
        Optional<List<String>> json = JsonArrays.parse(rest);
        return json.map(values -> new Parsed(values, true)).orElseGet(() -> new Parsed(whitespaceDelimited(rest), false));
    }

    // HEALTHCHECK TYPE rest: the type ends at the first byte Go's unicode.IsSpace accepts as a rune.
    private static Parsed healthConfig(String rest) throws JsonArrays.NotStringArrayException {
        byte[] bytes = GoText.encodeUtf8(rest);
        int separator = 0;
        while (separator < bytes.length && !isSpaceByte(bytes[separator] & 0xFF)) {
            separator++;
        }
        int next = separator;
        while (next < bytes.length && isSpaceByte(bytes[next] & 0xFF)) {
            next++;
        }
        if (separator == 0) {
            return Parsed.NONE;
        }
        String type = GoText.decodeUtf8(Arrays.copyOfRange(bytes, 0, separator));
        Parsed command = maybeJson(GoText.decodeUtf8(Arrays.copyOfRange(bytes, next, bytes.length)));
        List<String> args = new ArrayList<>();
        args.add(type);
        args.addAll(command.args());
        return new Parsed(args, command.json());
    }

    private static boolean isSpaceByte(int b) {
        return b == '\t' || b == '\n' || b == 0x0B || b == '\f' || b == '\r' || b == ' ' || b == 0x85 || b == 0xA0;
    }

    /** Splits on runs of {@code [\t\v\f\r ]}, like BuildKit's {@code reWhitespace}. */
    static List<String> whitespaceDelimited(String rest) {
        if (rest.isEmpty()) {
            return List.of();
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < rest.length()) {
            if (GoText.isBlank(rest.charAt(i))) {
                parts.add(rest.substring(start, i));
                while (i < rest.length() && GoText.isBlank(rest.charAt(i))) {
                    i++;
                }
                start = i;
            } else {
                i++;
            }
        }
        parts.add(rest.substring(start));
        return parts;
    }

    /** Splits into two at the first run of {@code [\t\v\f\r ]}. */
    static List<String> splitInTwo(String rest) {
        for (int i = 0; i < rest.length(); i++) {
            if (GoText.isBlank(rest.charAt(i))) {
                int end = i;
                while (end < rest.length() && GoText.isBlank(rest.charAt(end))) {
                    end++;
                }
                return List.of(rest.substring(0, i), rest.substring(end));
            }
        }
        return List.of(rest);
    }

    private static Parsed nameValue(String rest, String instruction, char escapeToken) throws ArgumentException {
        List<String> words = words(rest, escapeToken);
        if (words.isEmpty()) {
            return Parsed.NONE;
        }
        if (!words.getFirst().contains("=")) {
            List<String> parts = splitInTwo(rest);
            if (parts.size() < 2) {
                throw new ArgumentException(instruction + " must have two arguments");
            }
            return new Parsed(List.of(parts.get(0), parts.get(1), ""), false);
        }
        List<String> args = new ArrayList<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals < 0) {
                throw new ArgumentException("Syntax error - can't find = in " + GoText.quote(word)
                        + ". Must be of the form: name=value");
            }
            args.add(word.substring(0, equals));
            args.add(word.substring(equals + 1));
            args.add("=");
        }
        return new Parsed(args, false);
    }

    /**
     * BuildKit's {@code parseWords}: words split on whitespace, with quotes and escapes kept in
     * the word so that expansion can remove them later.
     */
    static List<String> words(String rest, char escapeToken) {
        List<String> words = new ArrayList<>();
        // Go decodes runes here, so an invalid byte comes out as U+FFFD.
        int[] chars = GoText.replaceEscapedBytes(rest).codePoints().toArray();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int quote = 0;
        boolean blankOk = false;
        for (int pos = 0; pos <= chars.length; pos++) {
            if (!inWord && quote == 0) {
                if (pos == chars.length) {
                    break;
                }
                if (GoText.isSpace(chars[pos])) {
                    continue;
                }
                inWord = true;
            }
            if (pos == chars.length) {
                if (blankOk || !word.isEmpty()) {
                    words.add(word.toString());
                }
                break;
            }
            int ch = chars[pos];
            if (quote == 0) {
                if (GoText.isSpace(ch)) {
                    inWord = false;
                    if (blankOk || !word.isEmpty()) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                }
                if (ch == escapeToken) {
                    if (pos + 1 == chars.length) {
                        continue;
                    }
                    word.appendCodePoint(ch);
                    pos++;
                    ch = chars[pos];
                }
                word.appendCodePoint(ch);
                continue;
            }
            if (ch == quote) {
                quote = 0;
            }
            if (ch == escapeToken && quote != '\'') {
                if (pos + 1 == chars.length) {
                    quote = 0;
                    continue;
                }
                pos++;
                word.appendCodePoint(ch);
                ch = chars[pos];
            }
            word.appendCodePoint(ch);
        }
        return words;
    }
}
