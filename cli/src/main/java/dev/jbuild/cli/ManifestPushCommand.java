package dev.jbuild.cli;

import dev.jbuild.oci.Reference;
import dev.jbuild.store.Store;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild manifest push NAME [DEST]}: pushes a manifest list with all its images, the list last. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Push a manifest list from the store to a registry: every image's blobs and manifest first, "
                + "then the list.")
final class ManifestPushCommand implements Callable<Integer> {
    @ParentCommand
    ManifestCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "The manifest list in the store.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEST",
            description = "Where to push it, REGISTRY/NAME[:TAG] (default: NAME itself).")
    String destination;

    @Mixin
    LoginOptions login;

    @Mixin
    ProgressOptions progressOptions;

    @Override
    public Integer call() throws Exception {
        Reference target = Pull.parseReference(destination != null ? destination : name);
        if (target.tag().isEmpty()) {
            throw new UsageException("DEST must name a tag, not only a digest: " + target);
        }
        Store store = Store.open(parent.storeRoot());
        new ManifestLists(store).load(name);
        Push.push(store, name, target, login, progressOptions);
        return ExitCode.OK;
    }
}
