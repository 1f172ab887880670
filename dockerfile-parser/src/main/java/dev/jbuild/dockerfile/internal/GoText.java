package dev.jbuild.dockerfile.internal;

/**
 * Go's text primitives that BuildKit's output depends on byte for byte: {@code unicode.IsSpace},
 * {@code strings.TrimSpace} and {@code strconv.Quote}. Java's own versions differ (for example
 * {@link Character#isWhitespace} rejects U+00A0 and accepts U+001C), so they cannot stand in.
 */
public final class GoText {
    /**
     * Bytes that are not valid UTF-8 are kept as the lone surrogates U+DC80–U+DCFF (one per
     * byte, as Python's "surrogateescape"), which no valid input can produce, so that the dump
     * can show them as Go does ({@code \xNN}) and they can be written back unchanged.
     */
    private static final int ESCAPED_BYTE_BASE = 0xDC00;

    private GoText() {
    }

    /** Decodes UTF-8 the way Go walks a string: each byte of an invalid sequence becomes one escaped byte. */
    public static String decodeUtf8(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                out.append((char) b);
                i++;
                continue;
            }
            int length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            int low = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
            int high = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
            boolean valid = length > 0 && i + length <= bytes.length;
            for (int k = 1; valid && k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                valid = k == 1 ? next >= low && next <= high : next >= 0x80 && next <= 0xBF;
            }
            if (!valid) {
                out.append((char) (ESCAPED_BYTE_BASE | b));
                i++;
                continue;
            }
            int codePoint = b & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
            for (int k = 1; k < length; k++) {
                codePoint = (codePoint << 6) | (bytes[i + k] & 0x3F);
            }
            out.appendCodePoint(codePoint);
            i += length;
        }
        return out.toString();
    }

    /** Encodes to UTF-8, turning escaped bytes from {@link #decodeUtf8} back into the bytes they stand for. */
    public static byte[] encodeUtf8(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (isEscapedByte(codePoint)) {
                out.write(codePoint & 0xFF);
            } else if (codePoint < 0x80) {
                out.write(codePoint);
            } else {
                byte[] encoded = Character.toString(Character.isSurrogate((char) codePoint) ? 0xFFFD : codePoint)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(encoded, 0, encoded.length);
            }
        }
        return out.toByteArray();
    }

    /** True for a character that stands for an invalid UTF-8 byte. */
    public static boolean isEscapedByte(int codePoint) {
        return codePoint >= 0xDC80 && codePoint <= 0xDCFF;
    }

    /** Replaces escaped bytes with U+FFFD, as Go does when it decodes runes and writes them back. */
    public static String replaceEscapedBytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isEscapedByte(text.charAt(i))) {
                StringBuilder out = new StringBuilder(text);
                for (int k = i; k < out.length(); k++) {
                    if (isEscapedByte(out.charAt(k))) {
                        out.setCharAt(k, '\uFFFD');
                    }
                }
                return out.toString();
            }
        }
        return text;
    }

    /** Go's {@code unicode.IsSpace}. */
    public static boolean isSpace(int codePoint) {
        return switch (codePoint) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> codePoint >= 0x2000 && codePoint <= 0x200A;
        };
    }

    /**
     * Go's {@code strings.ToLower}: the simple one-to-one mapping of each code point (so U+0130
     * becomes {@code i} and a final sigma stays {@code σ}), and invalid bytes become U+FFFD.
     */
    public static String toLower(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean ascii = true;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
            }
            return out.toString();
        }
        text.codePoints().forEach(codePoint -> out.appendCodePoint(
                isEscapedByte(codePoint) ? 0xFFFD : Character.toLowerCase(codePoint)));
        return out.toString();
    }

    /** Go's {@code strings.TrimSpace}. */
    public static String trimSpace(String text) {
        return trimRightSpace(trimLeftSpace(text));
    }

    /** Go's {@code strings.TrimLeftFunc(s, unicode.IsSpace)}. */
    public static String trimLeftSpace(String text) {
        int start = 0;
        while (start < text.length()) {
            int codePoint = text.codePointAt(start);
            if (!isSpace(codePoint)) {
                break;
            }
            start += Character.charCount(codePoint);
        }
        return text.substring(start);
    }

    /** Go's {@code strings.TrimRightFunc(s, unicode.IsSpace)}. */
    public static String trimRightSpace(String text) {
        int end = text.length();
        while (end > 0) {
            int codePoint = text.codePointBefore(end);
            if (!isSpace(codePoint)) {
                break;
            }
            end -= Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    /** Removes every trailing CR and LF, like BuildKit's {@code trimNewline}. */
    public static String trimNewline(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** True for the characters of the regular expression class {@code [\t\v\f\r ]}. */
    public static boolean isBlank(char c) {
        return c == '\t' || c == 0x0B || c == '\f' || c == '\r' || c == ' ';
    }

    /** Go's {@code strconv.Quote}: a double-quoted literal with Go escapes. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        out.append('"');
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            appendQuoted(out, codePoint);
        }
        return out.append('"').toString();
    }

    private static void appendQuoted(StringBuilder out, int codePoint) {
        if (codePoint == '"' || codePoint == '\\') {
            out.append('\\').appendCodePoint(codePoint);
            return;
        }
        if (isPrint(codePoint)) {
            out.appendCodePoint(codePoint);
            return;
        }
        switch (codePoint) {
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0B -> out.append("\\v");
            default -> {
                if (codePoint < ' ' || codePoint == 0x7F) {
                    out.append(String.format("\\x%02x", codePoint));
                } else if (isEscapedByte(codePoint)) {
                    out.append(String.format("\\x%02x", codePoint & 0xFF));
                } else if (Character.isSurrogate((char) codePoint)) {
                    out.append("\\ufffd");
                } else if (codePoint < 0x10000) {
                    out.append(String.format("\\u%04x", codePoint));
                } else {
                    out.append(String.format("\\U%08x", codePoint));
                }
            }
        }
    }

    /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int codePoint) {
        if (codePoint == ' ') {
            return true;
        }
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION,
                 Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}
