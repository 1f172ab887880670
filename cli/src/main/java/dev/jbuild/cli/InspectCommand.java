package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jbuild inspect IMAGE}: prints one JSON object with the image's name, digest and media
 * type, its index (when it has one), and its manifest and config exactly as stored.
 */
@Command(name = "inspect", description = "Show an image's manifest and config as JSON.")
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The image to show from a multi-platform index (default: this machine's).")
    String platform;

    @Parameters(paramLabel = "IMAGE", description = "name[:tag], name@digest or digest.")
    String image;

    @Override
    public Integer call() throws IOException {
        Platform wanted;
        try {
            wanted = platform == null ? Platform.current() : Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Store store = Store.open(parent.storeRoot());
        Descriptor root = store.resolve(image);
        Image selected = store.image(image, wanted);
        StringBuilder json = new StringBuilder("{");
        json.append("\"Name\":").append(quote(image));
        json.append(",\"Digest\":").append(quote(root.digest().toString()));
        json.append(",\"MediaType\":").append(quote(root.mediaType()));
        if (MediaType.isIndex(root.mediaType())) {
            json.append(",\"Index\":").append(utf8(store.readAll(root)));
            json.append(",\"ManifestDigest\":").append(quote(selected.digest().toString()));
        }
        json.append(",\"Manifest\":").append(utf8(selected.rawManifest()));
        json.append(",\"Config\":").append(utf8(selected.rawConfig()));
        json.append('}');
        PrintWriter out = spec.commandLine().getOut();
        out.println(json);
        out.flush();
        return ExitCode.OK;
    }

    private static String utf8(byte[] document) {
        return new String(document, StandardCharsets.UTF_8);
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
