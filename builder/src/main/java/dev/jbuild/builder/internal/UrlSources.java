package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Digester;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Downloads the URL sources of ADD, checking {@code --checksum}, with the server's Last-Modified as the file's mtime. */
final class UrlSources {
    private static final Pattern URL = Pattern.compile("(?i)^https?://.*");

    private UrlSources() {
    }

    /** True for an ADD source that is an http or https URL (git URLs are checked first, by {@link GitSources#isGit}). */
    static boolean isUrl(String source) {
        return URL.matcher(source).matches();
    }

    /** The downloaded file, alone in a fresh directory, named after the URL's last path segment. */
    static Path download(StepContext context, String url, Optional<String> checksum)
            throws IOException, BuildException, InterruptedException {
        URI uri = URI.create(url);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = PathNames.baseName(PathNames.inside(path));
        if (name.isEmpty()) {
            name = "__unnamed__";
        }
        Path directory = context.session().scratchDirectory("url");
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            response.body().close();
            throw new BuildException(context.line(), "line " + context.line() + ": ADD " + url + ": HTTP "
                    + response.statusCode(), null);
        }
        Digester digester = Digester.sha256();
        try (InputStream in = response.body(); OutputStream out = digester.wrap(Files.newOutputStream(file))) {
            in.transferTo(out);
        }
        if (checksum.isPresent()) {
            Digest expected = Digest.parse(checksum.get());
            if (!expected.equals(digester.digest())) {
                throw new BuildException(context.line(), "line " + context.line() + ": ADD " + url
                        + ": checksum mismatch: expected " + expected + ", got " + digester.digest(), null);
            }
        }
        Files.setAttribute(file, "unix:mode", 0600);
        Optional<String> lastModified = response.headers().firstValue("Last-Modified");
        if (lastModified.isPresent()) {
            try {
                Files.setLastModifiedTime(file, FileTime.from(
                        ZonedDateTime.parse(lastModified.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
            } catch (DateTimeParseException ignored) {
                Files.setLastModifiedTime(file, FileTime.from(context.session().now()));
            }
        }
        return file;
    }
}
