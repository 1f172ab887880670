package dev.jbuild.dockerfile.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the {@code --flag} words off the front of an instruction's arguments, as BuildKit's
 * {@code extractBuilderFlags} does. That loop walks bytes, not characters: whitespace is a byte
 * that Go's {@code unicode.IsSpace} accepts as a rune (so 0x85 and 0xA0 count), and each kept
 * byte becomes the character with that code (a UTF-8 {@code é} comes out as {@code Ã©}). The
 * flag escape character is always the backslash, whatever the {@code escape} directive says.
 */
final class FlagSplitter {
    /** The flag words and what follows them. */
    record Split(List<String> flags, String rest) {
    }

    private FlagSplitter() {
    }

    private static boolean isSpaceByte(int b) {
        return b == '\t' || b == '\n' || b == 0x0B || b == '\f' || b == '\r' || b == ' ' || b == 0x85 || b == 0xA0;
    }

    static Split split(String line) {
        int first = 0;
        while (first < line.length() && isSpaceByte(line.charAt(first)) && line.charAt(first) < 0x80) {
            first++;
        }
        if (!line.startsWith("--", first)) {
            return new Split(List.of(), line.substring(first));
        }
        byte[] bytes = GoText.encodeUtf8(line);
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int quote = 0;
        boolean blankOk = false;
        int length = bytes.length;
        for (int pos = 0; pos <= length; pos++) {
            int ch = pos < length ? bytes[pos] & 0xFF : -1;
            if (!inWord && quote == 0) {
                if (pos == length) {
                    break;
                }
                if (isSpaceByte(ch)) {
                    continue;
                }
                if (ch != '-' || pos + 1 == length || bytes[pos + 1] != '-') {
                    return new Split(words, rest(bytes, pos));
                }
                inWord = true;
            }
            if (pos == length) {
                if (!word.toString().equals("--") && (blankOk || !word.isEmpty())) {
                    words.add(word.toString());
                }
                break;
            }
            if (quote == 0) {
                if (isSpaceByte(ch)) {
                    inWord = false;
                    if (word.toString().equals("--")) {
                        return new Split(words, rest(bytes, pos));
                    }
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
                    continue;
                }
                if (ch == '\\') {
                    if (pos + 1 == length) {
                        continue;
                    }
                    pos++;
                    ch = bytes[pos] & 0xFF;
                }
                word.append((char) ch);
                continue;
            }
            if (ch == quote) {
                quote = 0;
                continue;
            }
            if (ch == '\\') {
                if (pos + 1 == length) {
                    quote = 0;
                    continue;
                }
                pos++;
                ch = bytes[pos] & 0xFF;
            }
            word.append((char) ch);
        }
        return new Split(words, "");
    }

    private static String rest(byte[] bytes, int from) {
        return GoText.decodeUtf8(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
    }
}
