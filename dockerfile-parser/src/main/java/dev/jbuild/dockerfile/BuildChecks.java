package dev.jbuild.dockerfile;

import dev.jbuild.dockerfile.internal.LintOptions;
import dev.jbuild.dockerfile.internal.Suggestions;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * BuildKit's checks that only a build can run, because they need what the base images define: the
 * builder reports through here so that the Dockerfile's {@code # check=skip=} applies and the
 * wording matches the parser's own rules.
 */
public final class BuildChecks {
    private final LintOptions options;

    private BuildChecks(LintOptions options) {
        this.options = options;
    }

    /** The checks as {@code dockerfile}'s {@code # check=} directive configures them. */
    public static BuildChecks of(Dockerfile dockerfile) {
        return new BuildChecks(LintOptions.of(dockerfile.directives()));
    }

    /** The error of a build that {@code # check=error=true} stops on findings of {@code rules}, worded as BuildKit's. */
    public static String violation(List<String> rules) {
        return "lint violation found for rules: " + String.join(", ", rules)
                + " (the Dockerfile's check=error=true makes them errors)";
    }

    /** True when the Dockerfile says {@code # check=error=true}: a finding fails the build. */
    public boolean warningsAreErrors() {
        return options.errors();
    }

    /**
     * CopyIgnoredFile: a COPY or ADD ({@code command} "Copy" or "Add") names a context
     * {@code source} that the build's {@code .dockerignore} excludes, so the build cannot see it.
     * Empty when the rule is skipped.
     */
    public Optional<Warning> copyIgnoredFile(String command, String source, int line) {
        return options.filter(List.of(new Warning("CopyIgnoredFile", "Attempting to " + command + " file \""
                + source + "\" that is excluded by .dockerignore", line))).stream().findFirst();
    }

    /**
     * UndefinedVar: {@code name} was used in an instruction the builder expands without being an ENV
     * of the stage (its base image's included) or a declared ARG; {@code defined} are the names that
     * were, for the "did you mean" hint. Empty when the rule is skipped.
     */
    public Optional<Warning> undefinedVariable(String name, Collection<String> defined, int line) {
        String hint = Suggestions.closest(name, List.copyOf(defined)).map(best -> " (did you mean $" + best + "?)")
                .orElse("");
        return options.filter(List.of(new Warning("UndefinedVar", "Usage of undefined variable '$" + name + "'" + hint,
                line))).stream().findFirst();
    }
}
