package dev.jbuild.builder.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds what a COPY/ADD source names in a {@link FileTree}: a path, or a glob matched one path segment at a time. */
public final class SourceMatcher {
    private static final int MAX_LINKS = 40;

    private SourceMatcher() {
    }

    /** A matched source: its path in the tree and the real file, with a final symlink followed. */
    public record Match(String path, Path file) {
    }

    /** True when {@code source} has glob characters. */
    public static boolean hasWildcards(String source) {
        return source.indexOf('*') >= 0 || source.indexOf('?') >= 0 || source.indexOf('[') >= 0;
    }

    /** The matches of {@code source}, sorted; empty when nothing matches. */
    public static List<Match> match(FileTree tree, String source) throws IOException {
        String cleaned = PathNames.inside(source);
        if (!hasWildcards(cleaned)) {
            Optional<Match> match = resolve(tree, cleaned);
            return match.map(List::of).orElse(List.of());
        }
        List<String> current = new ArrayList<>(List.of(""));
        for (String segment : cleaned.split("/")) {
            List<String> next = new ArrayList<>();
            Pattern pattern = hasWildcards(segment) ? Pattern.compile(segmentRegex(segment)) : null;
            for (String directory : current) {
                if (pattern == null) {
                    String child = PathNames.join(directory, segment);
                    if (tree.find(child).isPresent()) {
                        next.add(child);
                    }
                } else {
                    for (String name : tree.list(directory)) {
                        if (pattern.matcher(name).matches()) {
                            next.add(PathNames.join(directory, name));
                        }
                    }
                }
            }
            current = next;
        }
        List<Match> matches = new ArrayList<>();
        for (String path : current) {
            resolve(tree, path).ifPresent(matches::add);
        }
        return matches;
    }

    /** Finds {@code path}, following a final symlink inside the tree (an absolute target is relative to the tree's root). */
    static Optional<Match> resolve(FileTree tree, String path) throws IOException {
        String current = path;
        for (int hops = 0; hops < MAX_LINKS; hops++) {
            Optional<Path> file = tree.find(current);
            if (file.isEmpty()) {
                return Optional.empty();
            }
            if (!Files.isSymbolicLink(file.get())) {
                return Optional.of(new Match(path, file.get()));
            }
            String target = Files.readSymbolicLink(file.get()).toString();
            current = target.startsWith("/")
                    ? PathNames.inside(target)
                    : PathNames.inside(PathNames.parent(current) + "/" + target);
        }
        throw new IOException("too many levels of symbolic links at " + path);
    }

    /** Go's {@code filepath.Match} for one segment as a Java regex. */
    static String segmentRegex(String segment) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char ch = segment.charAt(i);
            switch (ch) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int end = segment.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("syntax error in pattern \"" + segment + "\"");
                    }
                    String body = segment.substring(i + 1, end);
                    boolean negated = body.startsWith("^");
                    String members = (negated ? body.substring(1) : body).replace("\\", "\\\\").replace("[", "\\[");
                    regex.append('[').append(negated ? "^" : "").append(members).append(']');
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 < segment.length()) {
                        regex.append(Pattern.quote(String.valueOf(segment.charAt(++i))));
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return regex.toString();
    }
}
