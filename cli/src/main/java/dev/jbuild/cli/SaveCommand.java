package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.DockerArchiveSink;
import dev.jbuild.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild save [-o FILE] IMAGE…}: images of the store in one archive {@code docker load} reads, as {@code docker save}. */
@Command(name = "save", description = "Write images of the store to a tar archive that docker load reads.")
final class SaveCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "The archive to write (default: standard output, unless it is a terminal).")
    Path output;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The image to take from a multi-platform index (default: this machine's).")
    String platform;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images by name[:tag].")
    List<String> images = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Platform wanted = platform == null ? Platform.current() : Pull.parsePlatform(platform);
        if (output == null && System.console() != null && System.console().isTerminal()) {
            throw new UsageException("refusing to write an archive to a terminal: give -o FILE or redirect the output");
        }
        Store store = Store.open(parent.storeRoot());
        // an archive is written to a file (it is in place only once closed); standard output gets a copy of it
        Path file = output != null ? output : Files.createTempFile("jbuild-save-", ".tar");
        try {
            try (DockerArchiveSink archive = DockerArchiveSink.create(file)) {
                for (String image : images) {
                    Reference reference = TagCommand.parseReference(image);
                    new ContentCopy(store, archive, wanted, 1, ContentCopy.Listener.NONE).copy(reference.toString(),
                            reference.toString());
                }
            }
            if (output == null) {
                Files.copy(file, System.out);
                System.out.flush();
            }
        } finally {
            if (output == null) {
                Files.deleteIfExists(file);
            }
        }
        return ExitCode.OK;
    }
}
