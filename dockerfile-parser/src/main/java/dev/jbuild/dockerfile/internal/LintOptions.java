package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.Directives;
import dev.jbuild.dockerfile.Warning;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of the {@code # check=} directive: {@code skip=RULE1,RULE2} or {@code skip=all}, which
 * every lint rule reports through ({@link #filter}), so a skipped rule is silent whichever class
 * found it; {@code experimental=RULE1,RULE2} or {@code experimental=all}, without which BuildKit's
 * experimental rules stay silent (and with which {@code skip} does not silence them, as in BuildKit);
 * and {@code error=true}, which makes the warnings that remain fail a build. Options are separated by
 * {@code ;}; only the first word of the value counts, as in BuildKit.
 */
public record LintOptions(boolean skipAll, Set<String> skipped, boolean experimentalAll, Set<String> experimental,
                          boolean errors) {
    /** The rules BuildKit marks experimental: reported only when {@code experimental=} names them. */
    private static final Set<String> EXPERIMENTAL_RULES = Set.of("InvalidDefinitionDescription");

    public LintOptions {
        skipped = Set.copyOf(skipped);
        experimental = Set.copyOf(experimental);
    }

    /** The options {@code directives} give. */
    public static LintOptions of(Directives directives) {
        String value = directives.check().map(GoText::trimSpace).orElse("");
        String firstWord = value.isEmpty() ? "" : value.split("[\\t\\n\\f\\r ]+", 2)[0];
        boolean skipAll = false;
        boolean experimentalAll = false;
        boolean errors = false;
        Set<String> skipped = new HashSet<>();
        Set<String> experimental = new HashSet<>();
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
            boolean skip = key.equalsIgnoreCase("skip");
            if (!skip && !key.equalsIgnoreCase("experimental")) {
                continue;
            }
            for (String rule : option.substring(equals + 1).split(",")) {
                String name = GoText.trimSpace(rule);
                if (name.equalsIgnoreCase("all")) {
                    if (skip) {
                        skipAll = true;
                    } else {
                        experimentalAll = true;
                    }
                } else if (!name.isEmpty()) {
                    (skip ? skipped : experimental).add(name);
                }
            }
        }
        return new LintOptions(skipAll, skipped, experimentalAll, experimental, errors);
    }

    /** The warnings whose rules are on: not skipped, or, for an experimental rule, asked for. */
    public List<Warning> filter(List<Warning> warnings) {
        return warnings.stream().filter(this::reports).toList();
    }

    private boolean reports(Warning warning) {
        if (EXPERIMENTAL_RULES.contains(warning.rule())) {
            return experimentalAll || experimental.contains(warning.rule());
        }
        return !skipAll && !skipped.contains(warning.rule());
    }
}
