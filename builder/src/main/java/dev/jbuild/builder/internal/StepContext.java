package dev.jbuild.builder.internal;

import dev.jbuild.dockerfile.BuildChecks;
import dev.jbuild.dockerfile.Environment;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.ExpansionResult;
import dev.jbuild.dockerfile.ShellLexer;
import dev.jbuild.oci.History;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One step as an instruction sees it: the state it starts from, the stage's args, the expander and
 * the Dockerfile line it comes from.
 */
record StepContext(BuildSession session, PlannedStage stage, ImageState state, ArgScope scope, ShellLexer lexer,
                   int line) {
    /** What words of this step expand against: the config's ENV first, then the declared args. */
    Environment environment() {
        return scope.expansionEnvironment(name -> java.util.Optional.ofNullable(state.config().config().envValue(name)));
    }

    /**
     * Expands one word, reporting the variables it uses that the stage does not define
     * (UndefinedVar), and failing on them when the Dockerfile says {@code check=error=true}.
     */
    String expand(String word) throws ExpansionException {
        ExpansionResult expansion = lexer.processWordWithMatches(word, environment());
        for (String name : expansion.unmatched()) {
            if (!scope.isDeclared(name) && session.report(session.checks.undefinedVariable(name, definedNames(), line))) {
                throw new ExpansionException(BuildChecks.violation(List.of("UndefinedVar")));
            }
        }
        return expansion.result();
    }

    private List<String> definedNames() {
        List<String> names = new ArrayList<>(scope.declaredNames());
        names.addAll(state.config().config().envNames());
        return names;
    }

    /** Expands each word. */
    List<String> expandEach(List<String> words) throws ExpansionException {
        List<String> expanded = new ArrayList<>();
        for (String word : words) {
            expanded.add(expand(word));
        }
        return expanded;
    }

    /** A history entry for this step, created now (or at {@code SOURCE_DATE_EPOCH}). */
    History history(String createdBy, boolean emptyLayer) {
        Instant created = session.now();
        return new History(created, createdBy, "", "buildkit.dockerfile.v0", emptyLayer);
    }
}
