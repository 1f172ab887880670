package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.DockerArchiveSink;
import dev.jbuild.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild save -o FILE IMAGE…}: images of the store in one archive {@code docker load} reads, as {@code docker save}. */
@Command(name = "save", description = "Write images of the store to a tar archive that docker load reads.")
final class SaveCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The archive to write.")
    Path output;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The image to take from a multi-platform index (default: this machine's).")
    String platform;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images by name[:tag].")
    List<String> images = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Platform wanted = platform == null ? Platform.current() : Pull.parsePlatform(platform);
        Store store = Store.open(parent.storeRoot());
        // the archive is in place only once closed, so a failure leaves no half archive behind
        try (DockerArchiveSink archive = DockerArchiveSink.create(output)) {
            for (String image : images) {
                Reference reference = TagCommand.parseReference(image);
                new ContentCopy(store, archive, wanted, 1, ContentCopy.Listener.NONE).copy(reference.toString(),
                        reference.toString());
            }
        }
        return ExitCode.OK;
    }
}
