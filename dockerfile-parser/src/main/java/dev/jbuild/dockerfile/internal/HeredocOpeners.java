package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.Environment;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.ShellLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the heredoc openers ({@code <<EOF}, {@code <<-'EOF'}, {@code 3<<EOF}) among the words of an instruction line. */
final class HeredocOpeners {
    /** An opener: the body is read later, line by line. */
    record Opener(String name, long fileDescriptor, boolean expand, boolean chomp) {
    }

    private static final Pattern OPENER = Pattern.compile("^([0-9]*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)\\z");
    // Heredoc words are always lexed with the backslash, whatever the escape directive says.
    private static final ShellLexer LINE_LEXER = ShellLexer.withEscape('\\')
            .keepingQuotes().keepingEscapes().keepingUnsetVariables();
    private static final ShellLexer NAME_LEXER = ShellLexer.withEscape('\\').keepingUnsetVariables();
    private static final ShellLexer RAW_NAME_LEXER = NAME_LEXER.keepingQuotes();

    private HeredocOpeners() {
    }

    static List<Opener> find(String line) throws ExpansionException {
        List<Opener> openers = new ArrayList<>();
        for (String word : LINE_LEXER.processWords(line, Environment.empty())) {
            Matcher matcher = OPENER.matcher(word);
            if (!matcher.matches()) {
                continue;
            }
            String rest = matcher.group(3);
            if (rest.isEmpty()) {
                continue;
            }
            List<String> names = NAME_LEXER.processWords(rest, Environment.empty());
            if (names.size() != 1) {
                continue;
            }
            List<String> rawNames = RAW_NAME_LEXER.processWords(rest, Environment.empty());
            if (rawNames.size() != names.size()) {
                throw new ExpansionException("internal lexing of heredoc produced inconsistent results: " + rest);
            }
            String name = names.getFirst();
            boolean expand = quoteCount(name) == quoteCount(rawNames.getFirst());
            openers.add(new Opener(name, fileDescriptor(matcher.group(1)), expand, !matcher.group(2).isEmpty()));
        }
        return openers;
    }

    private static long fileDescriptor(String digits) {
        if (digits.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long quoteCount(String word) {
        return word.chars().filter(c -> c == '\'' || c == '"').count();
    }
}
