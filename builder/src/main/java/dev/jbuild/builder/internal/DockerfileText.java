package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.BuildRequest;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.DockerfileException;
import dev.jbuild.dockerfile.DockerfileParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Dockerfile a build request names, read once: its file name, its text, and its path when it
 * is a file. Builds parse it, provenance records it.
 *
 * @param name the file's name ({@code Dockerfile} for inline text)
 * @param text its content
 * @param path the file it was read from; empty for inline text ({@code -f -})
 */
public record DockerfileText(String name, String text, Optional<Path> path) {
    /**
     * Reads the Dockerfile of {@code request}: its inline text, its file (a relative path names a
     * file of the context, as {@code -f} does for a remote context), else {@code Dockerfile} in the context.
     */
    public static DockerfileText read(BuildRequest request, Path contextRoot) throws BuildException, IOException {
        if (request.dockerfile().isPresent() && request.dockerfile().get() instanceof BuildRequest.DockerfileSource.Text inline) {
            return new DockerfileText("Dockerfile", inline.text(), Optional.empty());
        }
        Path file = request.dockerfile()
                .map(source -> contextRoot.resolve(((BuildRequest.DockerfileSource.File) source).path()))
                .orElse(contextRoot.resolve("Dockerfile"));
        if (!Files.isRegularFile(file)) {
            throw new BuildException("failed to read Dockerfile: " + file + ": no such file");
        }
        return new DockerfileText(String.valueOf(file.getFileName()), Files.readString(file, StandardCharsets.UTF_8),
                Optional.of(file));
    }

    /** The Dockerfile parsed; a syntax error is the build's error. */
    public Dockerfile parse() throws BuildException {
        try {
            return DockerfileParser.parse(name, text);
        } catch (DockerfileException e) {
            throw new BuildException(e.getMessage(), e);
        }
    }
}
