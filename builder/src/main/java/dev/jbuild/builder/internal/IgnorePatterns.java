package dev.jbuild.builder.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The patterns of a {@code .dockerignore} file with the Go rules BuildKit applies: {@code *},
 * {@code ?}, {@code [...]}, {@code **} across directories, {@code !} to re-include, later lines
 * win, and a pattern that matches a directory excludes everything below it.
 */
public final class IgnorePatterns {
    /** Patterns that exclude nothing. */
    public static final IgnorePatterns NONE = new IgnorePatterns(List.of());

    private record Rule(String text, Pattern regex, boolean exclusion) {
    }

    private final List<Rule> rules;

    private IgnorePatterns(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Reads the lines of an ignore file: blank lines and lines starting with {@code #} are skipped. */
    public static IgnorePatterns parse(String text) {
        List<Rule> rules = new ArrayList<>();
        String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        for (String line : content.split("\r?\n")) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean exclusion = pattern.startsWith("!");
            if (exclusion) {
                pattern = pattern.substring(1).strip();
            }
            if (!pattern.isEmpty()) {
                pattern = PathNames.clean(pattern);
                if (pattern.length() > 1 && pattern.startsWith("/")) {
                    pattern = pattern.substring(1);
                }
            }
            if (pattern.isEmpty()) {
                continue;
            }
            rules.add(new Rule(pattern, Pattern.compile(toRegex(pattern)), exclusion));
        }
        return new IgnorePatterns(rules);
    }

    /** True when some pattern starts with {@code !}, so an excluded directory may still hold included files. */
    public boolean hasExclusions() {
        return rules.stream().anyMatch(Rule::exclusion);
    }

    /** True when there are no patterns. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** True when the clean, relative, slash-separated {@code path} is ignored. */
    public boolean excludes(String path) {
        if (rules.isEmpty()) {
            return false;
        }
        String file = PathNames.clean(path);
        String[] parents = file.split("/");
        boolean matched = false;
        for (Rule rule : rules) {
            if (rule.exclusion() != matched) {
                continue;
            }
            boolean match = rule.regex().matcher(file).matches();
            for (int i = 1; !match && i < parents.length; i++) {
                match = rule.regex().matcher(String.join("/", java.util.Arrays.copyOf(parents, i))).matches();
            }
            if (match) {
                matched = !rule.exclusion();
            }
        }
        return matched;
    }

    /** The Go pattern as a Java regex, following moby/patternmatcher's translation. */
    static String toRegex(String pattern) {
        StringBuilder regex = new StringBuilder("^");
        int length = pattern.length();
        for (int i = 0; i < length; i++) {
            char ch = pattern.charAt(i);
            if (ch == '*') {
                if (i + 1 < length && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < length && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    regex.append(i + 1 >= length ? ".*" : "(.*/)?");
                } else {
                    regex.append("[^/]*");
                }
            } else if (ch == '?') {
                regex.append("[^/]");
            } else if (ch == '\\') {
                if (i + 1 < length) {
                    i++;
                    regex.append(Pattern.quote(String.valueOf(pattern.charAt(i))));
                } else {
                    regex.append("\\\\");
                }
            } else if (ch == '[' || ch == ']') {
                regex.append(ch);
            } else if (ch == '^' && i > 0 && pattern.charAt(i - 1) == '[') {
                regex.append(ch);
            } else if ("\\.+()|{}^$".indexOf(ch) >= 0) {
                regex.append('\\').append(ch);
            } else {
                regex.append(ch);
            }
        }
        return regex.append('$').toString();
    }
}
