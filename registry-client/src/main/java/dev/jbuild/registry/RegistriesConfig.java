package dev.jbuild.registry;

import dev.jbuild.oci.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [[registry]]} tables of a containers {@code registries.conf}: per-prefix insecure
 * flags, blocked registries and pull mirrors (mirrors are never used for pushes).
 */
public record RegistriesConfig(List<Entry> entries) {
    public static final RegistriesConfig EMPTY = new RegistriesConfig(List.of());

    /** One {@code [[registry]]} table. */
    public record Entry(String prefix, String location, boolean insecure, boolean blocked, List<Mirror> mirrors) {
        public Entry {
            Objects.requireNonNull(prefix, "prefix");
            location = location == null || location.isEmpty() ? prefix : location;
            mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
        }
    }

    /** One {@code [[registry.mirror]]} table. */
    public record Mirror(String location, boolean insecure) {
        public Mirror {
            Objects.requireNonNull(location, "mirror location");
        }
    }

    public RegistriesConfig {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** Reads a registries.conf file; only the {@code [[registry]]} tables matter here. */
    public static RegistriesConfig read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** Parses registries.conf text; {@code origin} names it in errors. */
    public static RegistriesConfig parse(String text, String origin) {
        List<Entry> entries = new ArrayList<>();
        EntryDraft entry = null;
        MirrorDraft mirror = null;
        String table = "";
        int lineNumber = 0;
        for (String rawLine : text.split("\n")) {
            lineNumber++;
            String line = stripComment(rawLine).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                table = line.replaceAll("^\\[+|]+$", "").strip();
                if (mirror != null) {
                    entry.mirrors.add(mirror.finish(origin, lineNumber));
                    mirror = null;
                }
                if (table.equals("registry.mirror")) {
                    if (entry == null) {
                        throw new IllegalArgumentException(origin + ":" + lineNumber
                                + ": [[registry.mirror]] outside a [[registry]] table");
                    }
                    mirror = new MirrorDraft();
                } else if (entry != null) {
                    entries.add(entry.finish(origin, lineNumber));
                    entry = null;
                }
                if (table.equals("registry")) {
                    entry = new EntryDraft();
                }
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException(origin + ":" + lineNumber + ": expected key = value: " + line);
            }
            String key = line.substring(0, equals).strip();
            String value = line.substring(equals + 1).strip();
            if (mirror != null) {
                switch (key) {
                    case "location" -> mirror.location = string(value, origin, lineNumber);
                    case "insecure" -> mirror.insecure = bool(value, origin, lineNumber);
                    default -> {
                    }
                }
            } else if (entry != null) {
                switch (key) {
                    case "prefix" -> entry.prefix = string(value, origin, lineNumber);
                    case "location" -> entry.location = string(value, origin, lineNumber);
                    case "insecure" -> entry.insecure = bool(value, origin, lineNumber);
                    case "blocked" -> entry.blocked = bool(value, origin, lineNumber);
                    default -> {
                    }
                }
            }
        }
        if (mirror != null) {
            entry.mirrors.add(mirror.finish(origin, lineNumber));
        }
        if (entry != null) {
            entries.add(entry.finish(origin, lineNumber));
        }
        return new RegistriesConfig(entries);
    }

    private static final class EntryDraft {
        String prefix;
        String location;
        boolean insecure;
        boolean blocked;
        final List<Mirror> mirrors = new ArrayList<>();

        Entry finish(String origin, int line) {
            if (prefix == null && location == null) {
                throw new IllegalArgumentException(origin + ":" + line
                        + ": the [[registry]] table before this line needs a prefix or a location");
            }
            return new Entry(prefix != null ? prefix : location, location, insecure, blocked, mirrors);
        }
    }

    private static final class MirrorDraft {
        String location;
        boolean insecure;

        Mirror finish(String origin, int line) {
            if (location == null || location.isEmpty()) {
                throw new IllegalArgumentException(origin + ":" + line
                        + ": the [[registry.mirror]] table before this line has no location");
            }
            return new Mirror(location, insecure);
        }
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String string(String value, String origin, int line) {
        if (value.length() < 2 || !(value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            throw new IllegalArgumentException(origin + ":" + line + ": expected a quoted string, got " + value);
        }
        return value.substring(1, value.length() - 1);
    }

    private static boolean bool(String value, String origin, int line) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(origin + ":" + line + ": expected true or false, got " + value);
        };
    }

    /** The entry with the longest prefix matching {@code registry/repository}. */
    public Optional<Entry> entryFor(String name) {
        return entries.stream()
                .filter(e -> name.equals(e.prefix()) || name.startsWith(e.prefix() + "/")
                        || name.startsWith(e.prefix()) && e.prefix().endsWith("/"))
                .max(Comparator.comparingInt(e -> e.prefix().length()));
    }

    /** True when a registry or mirror at {@code host} is marked insecure. */
    public boolean isInsecure(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        for (Entry entry : entries) {
            if (entry.insecure() && hostOf(entry.location()).equals(lower)) {
                return true;
            }
            for (Mirror mirror : entry.mirrors()) {
                if (mirror.insecure() && hostOf(mirror.location()).equals(lower)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String hostOf(String location) {
        int slash = location.indexOf('/');
        return (slash < 0 ? location : location.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    /**
     * Where to pull {@code reference} from, in order: its mirrors, then the registry itself
     * (or the entry's {@code location} when it rewrites the prefix).
     */
    public List<Reference> pullSources(Reference reference) {
        Optional<Entry> entry = entryFor(reference.name());
        if (entry.isEmpty()) {
            return List.of(reference);
        }
        if (entry.get().blocked()) {
            throw new IllegalArgumentException("registry " + reference.registry() + " is blocked by the registries config");
        }
        String rest = reference.name().substring(Math.min(entry.get().prefix().length(), reference.name().length()));
        List<Reference> sources = new ArrayList<>();
        for (Mirror mirror : entry.get().mirrors()) {
            sources.add(rewrite(mirror.location(), rest, reference));
        }
        sources.add(rewrite(entry.get().location(), rest, reference));
        return List.copyOf(sources);
    }

    /** Where to push {@code reference}: the entry's location, never a mirror. */
    public Reference pushTarget(Reference reference) {
        Optional<Entry> entry = entryFor(reference.name());
        if (entry.isEmpty()) {
            return reference;
        }
        if (entry.get().blocked()) {
            throw new IllegalArgumentException("registry " + reference.registry() + " is blocked by the registries config");
        }
        String rest = reference.name().substring(Math.min(entry.get().prefix().length(), reference.name().length()));
        return rewrite(entry.get().location(), rest, reference);
    }

    private static Reference rewrite(String location, String rest, Reference original) {
        String name = location.endsWith("/") || rest.startsWith("/") || rest.isEmpty() ? location + rest
                : location + "/" + rest;
        name = name.replace("//", "/");
        int slash = name.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("registries config location " + location + " leaves no repository for "
                    + original.name());
        }
        return new Reference(name.substring(0, slash), name.substring(slash + 1), original.tag(), original.digest());
    }
}
