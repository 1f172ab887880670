package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.Directives;
import dev.jbuild.dockerfile.Warning;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of the {@code # check=} directive: {@code skip=RULE1,RULE2} or {@code skip=all}, which
 * every lint rule reports through ({@link #filter}), so a skipped rule is silent whichever class
 * found it; and {@code error=true}, which makes the warnings that remain fail a build. Options are
 * separated by {@code ;}; only the first word of the value counts, as in BuildKit.
 */
public record LintOptions(boolean skipAll, Set<String> skipped, boolean errors) {
    public LintOptions {
        skipped = Set.copyOf(skipped);
    }

    /** The options {@code directives} give. */
    public static LintOptions of(Directives directives) {
        String value = directives.check().map(GoText::trimSpace).orElse("");
        String firstWord = value.isEmpty() ? "" : value.split("[\\t\\n\\f\\r ]+", 2)[0];
        boolean skipAll = false;
        boolean errors = false;
        Set<String> skipped = new HashSet<>();
        for (String option : firstWord.split(";")) {
            int equals = option.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = GoText.trimSpace(option.substring(0, equals));
            if (key.equalsIgnoreCase("error")) {
                errors = GoText.trimSpace(option.substring(equals + 1)).equalsIgnoreCase("true");
                continue;
            }
            if (!key.equalsIgnoreCase("skip")) {
                continue;
            }
            for (String rule : option.substring(equals + 1).split(",")) {
                String name = GoText.trimSpace(rule);
                if (name.equalsIgnoreCase("all")) {
                    skipAll = true;
                } else if (!name.isEmpty()) {
                    skipped.add(name);
                }
            }
        }
        return new LintOptions(skipAll, skipped, errors);
    }

    /** The warnings whose rules are not skipped. */
    public List<Warning> filter(List<Warning> warnings) {
        return warnings.stream().filter(warning -> !skipAll && !skipped.contains(warning.rule())).toList();
    }
}
