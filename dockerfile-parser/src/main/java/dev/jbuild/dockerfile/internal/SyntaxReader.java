package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.Directives;
import dev.jbuild.dockerfile.DockerfileException;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.Heredoc;
import dev.jbuild.dockerfile.Node;
import dev.jbuild.dockerfile.SourceRange;
import dev.jbuild.dockerfile.SyntaxTree;
import dev.jbuild.dockerfile.Warning;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BuildKit's line parser: directives, logical lines (continuations, comments inside them, empty
 * continuation lines), the per-instruction argument split, and heredoc bodies.
 */
public final class SyntaxReader {
    // Go's \s is [\t\n\f\r ]; (?d) keeps Java's '.' from stopping at CR, NEL and the Unicode line separators.
    private static final Pattern DIRECTIVE =
            Pattern.compile("(?d)^([a-zA-Z][a-zA-Z0-9]*)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*(.+?)[\\t\\n\\f\\r ]*\\z");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("run", "copy", "add");

    private final String fileName;
    private final List<PhysicalLines.Line> lines;
    private int next;
    private int currentLine;
    private char escapeToken = '\\';
    private boolean directivesDone;
    private final Set<String> seenDirectives = new HashSet<>();
    private String syntax;
    private String check;

    private SyntaxReader(String fileName, List<PhysicalLines.Line> lines) {
        this.fileName = fileName;
        this.lines = lines;
    }

    /** Parses a whole Dockerfile text; {@code fileName} only labels errors. */
    public static SyntaxTree read(String fileName, String text) {
        PhysicalLines physical = PhysicalLines.of(text);
        return new SyntaxReader(fileName, physical.lines()).readAll(physical.truncated());
    }

    private SyntaxTree readAll(boolean truncated) {
        List<Node> nodes = new ArrayList<>();
        List<Warning> warnings = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        while (next < lines.size()) {
            PhysicalLines.Line first = lines.get(next++);
            currentLine++;
            if (first.kind() == PhysicalLines.Kind.COMMENT) {
                String comment = GoText.trimSpace(first.raw().substring(1));
                if (comment.isEmpty()) {
                    comments.clear();
                } else {
                    comments.add(comment);
                }
            }
            int directivesBefore = seenDirectives.size();
            String processed = processLine(first, true);
            if (seenDirectives.size() > directivesBefore && !comments.isEmpty()) {
                comments.removeLast();
            }
            int startLine = currentLine;
            Continuation start = trimContinuation(processed);
            if (start.complete() && start.text().isEmpty()) {
                continue;
            }
            StringBuilder logical = new StringBuilder(start.text());
            boolean complete = start.complete();
            boolean emptyContinuation = false;
            while (!complete && next < lines.size()) {
                PhysicalLines.Line continued = lines.get(next++);
                currentLine++;
                String part = processLine(continued, false);
                if (continued.kind() == PhysicalLines.Kind.COMMENT) {
                    continue;
                }
                if (GoText.trimLeftSpace(part).isEmpty()) {
                    emptyContinuation = true;
                    continue;
                }
                Continuation trimmed = trimContinuation(part);
                logical.append(trimmed.text());
                complete = trimmed.complete();
            }
            String line = logical.toString();
            if (emptyContinuation) {
                warnings.add(new Warning("NoEmptyContinuation", "Empty continuation line found in: " + line, currentLine));
            }
            Node node;
            try {
                node = nodeFromLine(line, comments);
            } catch (LineArguments.ArgumentException e) {
                throw error(startLine, e.getMessage());
            }
            List<Heredoc> heredocs = canContainHeredoc(node) && line.contains("<<")
                    ? readHeredocs(line, startLine) : List.of();
            nodes.add(new Node(node.keyword(), node.flags(), node.args(), node.trigger(), node.json(), node.original(),
                    Optional.of(new SourceRange(startLine, currentLine)), heredocs, node.comments()));
            comments.clear();
        }
        if (nodes.isEmpty()) {
            throw error(Math.max(currentLine, 1), "file with no instructions");
        }
        if (truncated) {
            throw error(currentLine + 1, "dockerfile line greater than max allowed size of "
                    + (PhysicalLines.MAX_LINE_BYTES - 1));
        }
        return new SyntaxTree(new Directives(Optional.ofNullable(syntax), escapeToken, Optional.ofNullable(check)),
                nodes, warnings);
    }

    private record Continuation(String text, boolean complete) {
    }

    private String processLine(PhysicalLines.Line line, boolean stripLeft) {
        String token = GoText.trimNewline(line.raw());
        if (stripLeft) {
            token = GoText.trimLeftSpace(token);
        }
        parseDirective(token);
        if (line.kind() == PhysicalLines.Kind.COMMENT && token.startsWith("#")) {
            return "";
        }
        return token;
    }

    private void parseDirective(String line) {
        if (directivesDone) {
            return;
        }
        if (!line.startsWith("#")) {
            directivesDone = true;
            return;
        }
        Matcher matcher = DIRECTIVE.matcher(GoText.trimLeftSpace(line.substring(1)));
        if (!matcher.matches()) {
            directivesDone = true;
            return;
        }
        String key = matcher.group(1).toLowerCase(Locale.ROOT);
        if (!key.equals("escape") && !key.equals("syntax") && !key.equals("check")) {
            directivesDone = true;
            return;
        }
        if (!seenDirectives.add(key)) {
            throw error(currentLine, "only one " + key + " parser directive can be used");
        }
        String value = matcher.group(2);
        switch (key) {
            case "escape" -> {
                if (!value.equals("`") && !value.equals("\\")) {
                    throw error(currentLine, "invalid escape token '" + value + "' does not match ` or \\");
                }
                escapeToken = value.charAt(0);
            }
            case "syntax" -> syntax = value;
            default -> check = value;
        }
    }

    // The escape character at the end (blanks and tabs after it allowed) continues the line,
    // unless it is itself escaped.
    private Continuation trimContinuation(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        if (end == 0 || line.charAt(end - 1) != escapeToken) {
            return new Continuation(line, true);
        }
        if (end == 1) {
            return new Continuation("", false);
        }
        if (line.charAt(end - 2) == escapeToken) {
            return new Continuation(line, true);
        }
        return new Continuation(line.substring(0, end - 1), false);
    }

    private Node nodeFromLine(String line, List<String> comments) throws LineArguments.ArgumentException {
        // ONBUILD nests the rest of its line; a loop (not recursion) handles any chain length.
        List<Node> wrappers = new ArrayList<>();
        String text = line;
        while (true) {
            String trimmed = GoText.trimSpace(text);
            List<String> command = LineArguments.splitInTwo(trimmed);
            String keyword = command.getFirst();
            String name = GoText.toLower(keyword);
            List<String> flags = List.of();
            String rest = "";
            if (command.size() == 2) {
                FlagSplitter.Split split = FlagSplitter.split(command.get(1));
                flags = split.flags();
                rest = GoText.trimSpace(split.rest());
            }
            List<String> nodeComments = wrappers.isEmpty() ? comments : List.of();
            if (name.equals("onbuild") && !rest.isEmpty()) {
                wrappers.add(new Node(keyword, flags, List.of(), Optional.empty(), false, text, Optional.empty(),
                        List.of(), nodeComments));
                text = rest;
                continue;
            }
            Node node;
            if (name.equals("onbuild")) {
                node = new Node(keyword, flags, List.of(), Optional.empty(), false, text, Optional.empty(), List.of(),
                        nodeComments);
            } else {
                LineArguments.Parsed parsed = LineArguments.parse(name, rest, escapeToken);
                node = new Node(keyword, flags, parsed.args(), Optional.empty(), parsed.json(), text, Optional.empty(),
                        List.of(), nodeComments);
            }
            for (int i = wrappers.size() - 1; i >= 0; i--) {
                Node wrapper = wrappers.get(i);
                node = new Node(wrapper.keyword(), wrapper.flags(), List.of(), Optional.of(node), false,
                        wrapper.original(), Optional.empty(), List.of(), wrapper.comments());
            }
            return node;
        }
    }

    private static boolean canContainHeredoc(Node node) {
        Node target = node.name().equals("onbuild") && node.trigger().isPresent() ? node.trigger().get() : node;
        return HEREDOC_INSTRUCTIONS.contains(target.name()) && !target.json();
    }

    private List<Heredoc> readHeredocs(String line, int startLine) {
        List<HeredocOpeners.Opener> openers;
        try {
            openers = HeredocOpeners.find(line);
        } catch (ExpansionException e) {
            throw error(startLine, e.getMessage());
        }
        List<Heredoc> heredocs = new ArrayList<>();
        for (HeredocOpeners.Opener opener : openers) {
            StringBuilder content = new StringBuilder();
            boolean terminated = false;
            while (next < lines.size()) {
                String raw = lines.get(next++).raw();
                currentLine++;
                String candidate = GoText.trimNewline(raw);
                if (opener.chomp()) {
                    candidate = stripLeadingTabs(candidate);
                }
                if (candidate.equals(opener.name())) {
                    terminated = true;
                    break;
                }
                content.append(raw);
            }
            if (!terminated) {
                throw error(startLine, "unterminated heredoc");
            }
            heredocs.add(new Heredoc(opener.name(), content.toString(), opener.expand(), opener.chomp(),
                    opener.fileDescriptor()));
        }
        return heredocs;
    }

    private static String stripLeadingTabs(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) == '\t') {
            i++;
        }
        return text.substring(i);
    }

    private DockerfileException error(int line, String message) {
        String source = line >= 1 && line <= lines.size() ? GoText.trimNewline(lines.get(line - 1).raw()) : "";
        return new DockerfileException(fileName, line, firstColumn(source), source, message);
    }

    static int firstColumn(String source) {
        int column = 1;
        for (int i = 0; i < source.length() && GoText.isSpace(source.charAt(i)); i++) {
            column++;
        }
        return column;
    }
}
