package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jbuild images}: lists the tagged images in the store. */
@Command(name = "images", description = "List the images in the store.")
final class ImagesCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image references.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Store store = Store.open(parent.storeRoot());
        PrintWriter out = spec.commandLine().getOut();
        Map<Reference, Descriptor> tags = store.tags();
        if (quiet) {
            tags.keySet().forEach(reference -> out.println(reference.familiar()));
            out.flush();
            return ExitCode.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REPOSITORY", "TAG", "DIGEST", "PLATFORM", "CREATED", "SIZE"});
        for (Map.Entry<Reference, Descriptor> tag : tags.entrySet()) {
            Reference reference = tag.getKey();
            String repository = reference.withTag(Reference.DEFAULT_TAG).familiar();
            repository = repository.substring(0, repository.length() - (":" + Reference.DEFAULT_TAG).length());
            rows.add(describe(store, repository, reference.tag(), tag.getValue()));
        }
        Tables.print(out, rows);
        out.flush();
        return ExitCode.OK;
    }

    private static String[] describe(Store store, String repository, String tag, Descriptor descriptor) {
        String digest = descriptor.digest().algorithm() + ":" + descriptor.digest().shortHex();
        try {
            Image image = store.image(descriptor.digest().toString(), Platform.current());
            ImageConfig config = image.config();
            long size = image.manifest().config().size();
            for (var layer : image.layers()) {
                size += layer.size();
            }
            String platform = MediaType.isIndex(descriptor.mediaType())
                    ? config.platform().format() + " (+ index)" : config.platform().format();
            return new String[] {repository, tag, digest, platform,
                    config.created() == null ? "-" : config.created().toString(), humanSize(size)};
        } catch (IOException | RuntimeException unreadable) {
            return new String[] {repository, tag, digest, "-", "-", "damaged or other platform"};
        }
    }

    /** Sizes as {@code docker images} shows them, without a space: {@code 1.2MB}. */
    static String humanSize(long bytes) {
        return Progress.human(bytes).replace(" ", "");
    }
}
