package dev.jbuild.dockerfile;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One expansion: the word with its spaces kept ({@code result}), the same text split into words,
 * and the variable names it found set ({@code matched}) or not ({@code unmatched}, for lint).
 */
public record ExpansionResult(String result, List<String> words, Set<String> matched, Set<String> unmatched) {
    public ExpansionResult {
        Objects.requireNonNull(result, "result");
        words = List.copyOf(words);
        matched = Set.copyOf(matched);
        unmatched = Set.copyOf(unmatched);
    }
}
