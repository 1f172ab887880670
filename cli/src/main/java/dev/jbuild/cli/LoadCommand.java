package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.DockerArchiveSource;
import dev.jbuild.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jbuild load [-i FILE]}: every image of a {@code docker save} archive into the store, with its tags, as {@code docker load}. */
@Command(name = "load", description = "Read the images of a docker save archive into the store, with their tags.")
final class LoadCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "The archive to read (default: standard input).")
    Path input;

    @Override
    public Integer call() throws Exception {
        Store store = Store.open(parent.storeRoot());
        PrintWriter out = spec.commandLine().getOut();
        // an archive is read with random access, so standard input is kept in a file first
        Path file = input != null ? input : Files.createTempFile("jbuild-load-", ".tar");
        try {
            if (input == null) {
                Files.copy(System.in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            load(store, file, out);
        } finally {
            if (input == null) {
                Files.deleteIfExists(file);
            }
        }
        out.flush();
        return ExitCode.OK;
    }

    private static void load(Store store, Path file, PrintWriter out) throws Exception {
        try (DockerArchiveSource archive = DockerArchiveSource.open(file)) {
            for (int index = 0; index < archive.imageCount(); index++) {
                Descriptor manifest = archive.resolve("@" + index);
                ContentCopy copy = new ContentCopy(archive, store, null, 4, ContentCopy.Listener.NONE);
                copy.copy(manifest, "");
                if (archive.tagsOf(index).isEmpty()) {
                    out.println("Loaded image ID: " + manifest.digest());
                }
                for (String tag : archive.tagsOf(index)) {
                    Reference reference = Reference.parse(tag);
                    store.tag(reference, manifest);
                    out.println("Loaded image: " + reference.familiar());
                }
            }
        }
    }
}
