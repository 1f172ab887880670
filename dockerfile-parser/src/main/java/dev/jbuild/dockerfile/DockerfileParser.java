package dev.jbuild.dockerfile;

import dev.jbuild.dockerfile.internal.GoText;
import dev.jbuild.dockerfile.internal.InstructionReader;
import dev.jbuild.dockerfile.internal.SyntaxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Parses Dockerfiles the way BuildKit does. {@link #parseSyntax} stops after BuildKit's line
 * parser (what {@code Node.Dump()} shows); {@link #parse} also checks every instruction and
 * returns typed records. Both throw {@link DockerfileException} for what BuildKit rejects.
 */
public final class DockerfileParser {
    private DockerfileParser() {
    }

    /** The line-parser view of {@code text}; {@code fileName} labels errors. */
    public static SyntaxTree parseSyntax(String fileName, String text) {
        return SyntaxReader.read(fileName, text);
    }

    /** The typed view of {@code text}; {@code fileName} labels errors. */
    public static Dockerfile parse(String fileName, String text) {
        return InstructionReader.read(fileName, text, parseSyntax(fileName, text));
    }

    /**
     * The instructions of ONBUILD triggers stored in a base image's config (one expression each,
     * heredoc bodies included), checked as BuildKit checks them when a build uses that image.
     */
    public static List<Instruction> parseTriggers(List<String> triggers) {
        String text = String.join("\n", triggers) + "\n";
        return InstructionReader.readTriggers("ONBUILD", text, parseSyntax("ONBUILD", text));
    }

    /**
     * The line-parser view of a file's bytes. Bytes that are not valid UTF-8 survive (the dump
     * shows them as {@code \xNN}, as BuildKit does).
     */
    public static SyntaxTree parseSyntax(String fileName, byte[] content) {
        return parseSyntax(fileName, GoText.decodeUtf8(content));
    }

    /** The typed view of a file's bytes; see {@link #parseSyntax(String, byte[])}. */
    public static Dockerfile parse(String fileName, byte[] content) {
        return parse(fileName, GoText.decodeUtf8(content));
    }

    /** Reads {@code file} and parses it with {@link #parse(String, byte[])}. */
    public static Dockerfile parse(Path file) throws IOException {
        return parse(String.valueOf(file.getFileName()), Files.readAllBytes(file));
    }

    /** Reads {@code file} and returns its line-parser view. */
    public static SyntaxTree parseSyntax(Path file) throws IOException {
        return parseSyntax(String.valueOf(file.getFileName()), Files.readAllBytes(file));
    }
}
