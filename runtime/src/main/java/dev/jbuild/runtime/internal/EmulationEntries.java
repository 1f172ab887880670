package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.EmulationHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads and writes the two text forms of binfmt_misc entries: the per-entry files the kernel
 * shows under {@code /proc/sys/fs/binfmt_misc}, and the {@code :name:type:offset:magic:mask:interpreter:flags}
 * lines that {@code register} takes and {@code binfmt.d} files hold.
 */
public final class EmulationEntries {
    /** The files binfmt_misc always has besides its entries. */
    private static final List<String> CONTROL_FILES = List.of("register", "status");

    private EmulationEntries() {
    }

    /** Every entry in a mounted binfmt_misc directory, sorted by name. */
    public static List<EmulationHandler> read(Path binfmtDirectory) throws IOException {
        List<EmulationHandler> handlers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(binfmtDirectory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!CONTROL_FILES.contains(name) && Files.isRegularFile(entry)) {
                    handlers.add(parseEntry(name, Files.readString(entry, StandardCharsets.UTF_8)));
                }
            }
        }
        handlers.sort(Comparator.comparing(EmulationHandler::name));
        return List.copyOf(handlers);
    }

    /** Parses the kernel's view of one entry ({@code enabled}, {@code interpreter …}, {@code flags: …}, …). */
    public static EmulationHandler parseEntry(String name, String text) {
        boolean enabled = false;
        String interpreter = "";
        String flags = "";
        int offset = 0;
        byte[] magic = new byte[0];
        byte[] mask = new byte[0];
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.equals("enabled")) {
                enabled = true;
            } else if (trimmed.startsWith("interpreter ")) {
                interpreter = trimmed.substring("interpreter ".length()).strip();
            } else if (trimmed.startsWith("flags:")) {
                flags = trimmed.substring("flags:".length()).strip();
            } else if (trimmed.startsWith("offset ")) {
                offset = parseOffset(name, trimmed.substring("offset ".length()).strip());
            } else if (trimmed.startsWith("magic ")) {
                magic = parseHex(name, trimmed.substring("magic ".length()).strip());
            } else if (trimmed.startsWith("mask ")) {
                mask = parseHex(name, trimmed.substring("mask ".length()).strip());
            }
        }
        if (interpreter.isEmpty()) {
            throw new IllegalArgumentException("binfmt_misc entry " + name + " names no interpreter");
        }
        return new EmulationHandler(name, enabled, Path.of(interpreter), flags, offset, magic, mask);
    }

    /** A line of a binfmt.d file, split into its fields; the first character is the delimiter. */
    public record Registration(String line, String name, String type, String interpreter, String flags) {
    }

    /** The registration lines of a binfmt.d file: comments ({@code #}, {@code ;}) and blank lines left out. */
    public static List<Registration> registrations(Path file) throws IOException {
        List<Registration> lines = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            lines.add(parseRegistration(trimmed, file + ":" + number));
        }
        return List.copyOf(lines);
    }

    /** Parses {@code :name:type:offset:magic:mask:interpreter:flags}; {@code where} names the line in errors. */
    public static Registration parseRegistration(String line, String where) {
        String delimiter = line.substring(0, 1);
        String[] fields = line.substring(1).split(Pattern.quote(delimiter), -1);
        if (fields.length < 6 || fields[0].isEmpty() || fields[0].contains("/")
                || !(fields[1].equals("M") || fields[1].equals("E")) || fields[5].isEmpty()) {
            throw new IllegalArgumentException(where + ": not a binfmt_misc registration "
                    + "(expected :name:type:offset:magic:mask:interpreter:flags): " + line);
        }
        return new Registration(line, fields[0], fields[1], fields[5], fields.length > 6 ? fields[6] : "");
    }

    private static int parseOffset(String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("binfmt_misc entry " + name + " has an invalid offset \"" + text + "\"");
        }
    }

    private static byte[] parseHex(String name, String text) {
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("binfmt_misc entry " + name + " has invalid hex \"" + text + "\"");
        }
    }
}
