package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.ExpansionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The glob patterns of {@code ${X#p}}, {@code ${X%p}} and {@code ${X/p/r}}: {@code *} and
 * {@code ?} with backslash escapes and no bracket classes, matched with Go's regexp semantics.
 */
public final class ShellPatterns {
    private ShellPatterns() {
    }

    /** Removes the shortest (or longest) prefix of {@code value} that matches {@code pattern}. */
    public static String trimPrefix(String pattern, String value, boolean longest) throws ExpansionException {
        Matcher matcher = compile(pattern, longest, true).matcher(value);
        return matcher.find() ? value.substring(matcher.end()) : value;
    }

    /** Removes the shortest (or longest) suffix: a prefix match on the reversed pattern and value. */
    public static String trimSuffix(String pattern, String value, boolean longest) throws ExpansionException {
        String reversed = trimPrefix(reversePattern(pattern), reverse(value), longest);
        return reverse(reversed);
    }

    /** Replaces the first (or every) match of {@code pattern} in {@code value}; {@code *} is greedy. */
    public static String replace(String pattern, String replacement, String value, boolean all)
            throws ExpansionException {
        Matcher matcher = compile(pattern, true, false).matcher(value);
        if (!all) {
            return matcher.find() ? value.substring(0, matcher.start()) + replacement + value.substring(matcher.end()) : value;
        }
        return replaceAllLikeGo(matcher, value, replacement);
    }

    // Go skips an empty match right after a previous match and expands $-templates in the replacement.
    private static String replaceAllLikeGo(Matcher matcher, String value, String template) {
        StringBuilder out = new StringBuilder();
        int lastMatchEnd = 0;
        int searchPos = 0;
        while (searchPos <= value.length() && matcher.find(searchPos)) {
            int start = matcher.start();
            int end = matcher.end();
            out.append(value, lastMatchEnd, start);
            if (end > lastMatchEnd || start == 0) {
                expandTemplate(out, template, matcher.group());
            }
            lastMatchEnd = end;
            int width = searchPos < value.length() ? Character.charCount(value.codePointAt(searchPos)) : 1;
            if (searchPos + width > end) {
                searchPos += width;
            } else if (searchPos + 1 > end) {
                searchPos++;
            } else {
                searchPos = end;
            }
        }
        out.append(value, Math.min(lastMatchEnd, value.length()), value.length());
        return out.toString();
    }

    // Go's Regexp.Expand with a pattern that has no groups but the whole match ($0).
    private static void expandTemplate(StringBuilder out, String template, String wholeMatch) {
        int i = 0;
        while (i < template.length()) {
            int dollar = template.indexOf('$', i);
            if (dollar < 0) {
                out.append(template, i, template.length());
                return;
            }
            out.append(template, i, dollar);
            i = dollar + 1;
            if (i < template.length() && template.charAt(i) == '$') {
                out.append('$');
                i++;
                continue;
            }
            int nameStart = i;
            int nameEnd;
            int after;
            boolean braced = i < template.length() && template.charAt(i) == '{';
            if (braced) {
                nameStart = i + 1;
                nameEnd = nameStart;
                while (nameEnd < template.length() && isWordChar(template.charAt(nameEnd))) {
                    nameEnd++;
                }
                if (nameEnd == nameStart || nameEnd >= template.length() || template.charAt(nameEnd) != '}') {
                    out.append('$');
                    continue;
                }
                after = nameEnd + 1;
            } else {
                nameEnd = nameStart;
                while (nameEnd < template.length() && isWordChar(template.charAt(nameEnd))) {
                    nameEnd++;
                }
                if (nameEnd == nameStart) {
                    out.append('$');
                    continue;
                }
                after = nameEnd;
            }
            String name = template.substring(nameStart, nameEnd);
            if (name.chars().allMatch(c -> c >= '0' && c <= '9') && name.replaceFirst("^0+(?=.)", "").equals("0")) {
                out.append(wholeMatch);
            }
            i = after;
        }
    }

    private static boolean isWordChar(char c) {
        return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static Pattern compile(String pattern, boolean greedy, boolean anchored) throws ExpansionException {
        StringBuilder regex = new StringBuilder();
        if (anchored) {
            regex.append('^');
        }
        int[] tokens = pattern.codePoints().toArray();
        for (int i = 0; i < tokens.length; i++) {
            int token = tokens[i];
            switch (token) {
                case '*' -> regex.append(greedy ? ".*" : ".*?");
                case '?' -> regex.append('.');
                case '\\' -> {
                    int following = i + 1 < tokens.length ? tokens[i + 1] : -1;
                    if (following == '}' || following == '/') {
                        continue;
                    }
                    if (following != '*' && following != '?' && following != '\\') {
                        String shown = following < 0 ? "\uFFFD" : Character.toString(following);
                        throw new ExpansionException("invalid pattern (" + pattern + ") in substitution: invalid escape '\\"
                                + shown + "'");
                    }
                    regex.append('\\').appendCodePoint(following);
                    i++;
                }
                case '[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$' -> regex.append('\\').appendCodePoint(token);
                default -> regex.appendCodePoint(token);
            }
        }
        return Pattern.compile(regex.toString(), Pattern.UNIX_LINES);
    }

    // Reverses a pattern but keeps each backslash in front of the character it escapes.
    static String reversePattern(String pattern) {
        int[] runes = pattern.codePoints().toArray();
        int[] out = new int[runes.length];
        int last = runes.length - 1;
        for (int i = 0; i <= last; ) {
            int target = last - i;
            if (runes[i] == '\\' && i != last) {
                out[target - 1] = runes[i];
                out[target] = runes[i + 1];
                i += 2;
            } else {
                out[target] = runes[i];
                i++;
            }
        }
        return new String(out, 0, out.length);
    }

    static String reverse(String text) {
        int[] runes = text.codePoints().toArray();
        for (int i = 0, j = runes.length - 1; i < j; i++, j--) {
            int swap = runes[i];
            runes[i] = runes[j];
            runes[j] = swap;
        }
        return new String(runes, 0, runes.length);
    }
}
