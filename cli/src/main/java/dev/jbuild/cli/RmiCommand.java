package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jbuild rmi IMAGE…}: removes tags. A digest removes every tag of that image. The
 * content itself goes at the next {@code jbuild prune}, once nothing else uses it.
 */
@Command(name = "rmi", description = "Remove images (tags) from the store; jbuild prune then frees their space.")
final class RmiCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "name[:tag], name@digest or digest.")
    List<String> images;

    @Override
    public Integer call() throws IOException {
        Store store = Store.open(parent.storeRoot());
        PrintWriter out = spec.commandLine().getOut();
        List<String> notFound = new ArrayList<>();
        for (String image : images) {
            List<Reference> removed = remove(store, image);
            if (removed.isEmpty()) {
                notFound.add(image);
            }
            removed.forEach(reference -> out.println("Untagged: " + reference.familiar()));
        }
        out.flush();
        if (!notFound.isEmpty()) {
            throw new StoreException("no such image in the store: " + String.join(", ", notFound));
        }
        return ExitCode.OK;
    }

    private static List<Reference> remove(Store store, String image) throws IOException {
        Digest digest = digestOf(image);
        if (digest == null) {
            Reference reference = TagCommand.parseReference(image);
            return store.untag(reference) ? List.of(reference) : List.of();
        }
        List<Reference> removed = new ArrayList<>();
        for (Map.Entry<Reference, Descriptor> tag : store.tags().entrySet()) {
            if (tag.getValue().digest().equals(digest) && store.untag(tag.getKey())) {
                removed.add(tag.getKey());
            }
        }
        return removed;
    }

    private static Digest digestOf(String image) {
        if (Digest.isDigest(image)) {
            return Digest.parse(image);
        }
        return image.contains("@") ? TagCommand.parseReference(image).digest() : null;
    }
}
