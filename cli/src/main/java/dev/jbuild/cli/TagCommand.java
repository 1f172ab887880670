package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild tag SRC DST}: gives an image in the store another name. */
@Command(name = "tag", description = "Give an image in the store another name.")
final class TagCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "An image in the store (name[:tag], name@digest or digest).")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The new name[:tag].")
    String target;

    @Override
    public Integer call() throws IOException {
        Reference newName = parseReference(target);
        Store store = Store.open(parent.storeRoot());
        Descriptor image = store.resolve(source);
        store.tag(newName, image);
        return ExitCode.OK;
    }

    /** Parses an image reference typed on the command line; a malformed one is a usage error (exit 2). */
    static Reference parseReference(String text) {
        try {
            return Reference.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
