package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.MediaType;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    StoredImage image;

    @Override
    public Integer call() throws IOException {
        Store store = Store.open(parent.storeRoot());
        Image selected = image.in(store);
        Descriptor root = store.resolve(image.name);
        StringBuilder json = new StringBuilder("{");
        json.append("\"Name\":").append(quote(image.name));
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
