package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.Registry;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild manifest inspect IMAGE}: prints a manifest or index exactly as the store holds it or the registry serves it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print the raw manifest or index of an image in the store, else in its registry "
                + "(its digest goes to standard error).")
final class ManifestInspect implements Callable<Integer> {
    @ParentCommand
    ManifestCommand parent;

    @Option(names = "--remote", description = "Ask the registry even when the store has the image.")
    boolean remote;

    @Parameters(paramLabel = "IMAGE", description = "NAME[:TAG|@DIGEST].")
    String image;

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        Reference reference = Pull.parseReference(image);
        Optional<Descriptor> local = remote ? Optional.empty() : inStore();
        if (local.isPresent()) {
            Store store = Store.open(parent.storeRoot());
            System.out.write(store.readAll(local.get()));
            System.out.println();
            System.out.flush();
            System.err.println(local.get().mediaType() + " " + local.get().digest());
            return ExitCode.OK;
        }
        try (Registry registry = login.open()) {
            FetchedManifest manifest = registry.pullRepository(reference).manifest(reference.identifier());
            System.out.write(manifest.bytes());
            System.out.println();
            System.out.flush();
            System.err.println(manifest.descriptor().mediaType() + " " + manifest.descriptor().digest());
        }
        return ExitCode.OK;
    }

    private Optional<Descriptor> inStore() throws IOException {
        Path root = parent.storeRoot();
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Store.open(root).resolve(image));
        } catch (StoreException notInStore) {
            return Optional.empty();
        }
    }
}
