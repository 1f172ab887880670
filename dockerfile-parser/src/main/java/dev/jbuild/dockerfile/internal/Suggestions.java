package dev.jbuild.dockerfile.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "did you mean …?" hints: the closest known word within an edit distance of 2. */
public final class Suggestions {
    private Suggestions() {
    }

    /** {@code " (did you mean X?)"} or empty; {@code keepCase} answers in the input's case style. */
    public static String didYouMean(String input, List<String> known, boolean keepCase) {
        return closest(input, known).map(best -> {
            if (keepCase) {
                best = input.equals(input.toLowerCase(Locale.ROOT)) ? best.toLowerCase(Locale.ROOT) : best.toUpperCase(Locale.ROOT);
            }
            return " (did you mean " + best + "?)";
        }).orElse("");
    }

    /** The known word closest to {@code input} (case aside) within the distance, unless it is the input itself. */
    public static Optional<String> closest(String input, List<String> known) {
        String lower = input.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best == null || best.equalsIgnoreCase(input) ? Optional.empty() : Optional.of(best);
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
