package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.Directives;
import dev.jbuild.dockerfile.Warning;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code skip} option of the {@code # check=} directive ({@code skip=RULE1,RULE2} or
 * {@code skip=all}): every lint rule reports through {@link #filter}, so a skipped rule is silent
 * whichever class found it. Options are separated by {@code ;}; only the first word of the value
 * counts, as in BuildKit.
 */
record LintOptions(boolean skipAll, Set<String> skipped) {
    LintOptions {
        skipped = Set.copyOf(skipped);
    }

    static LintOptions of(Directives directives) {
        String value = directives.check().map(GoText::trimSpace).orElse("");
        String firstWord = value.isEmpty() ? "" : value.split("[\\t\\n\\f\\r ]+", 2)[0];
        boolean skipAll = false;
        Set<String> skipped = new HashSet<>();
        for (String option : firstWord.split(";")) {
            int equals = option.indexOf('=');
            if (equals < 0 || !GoText.trimSpace(option.substring(0, equals)).equalsIgnoreCase("skip")) {
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
        return new LintOptions(skipAll, skipped);
    }

    List<Warning> filter(List<Warning> warnings) {
        return warnings.stream().filter(warning -> !skipAll && !skipped.contains(warning.rule())).toList();
    }
}
