package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryRepository;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild push} / {@code jpush}: copies an image or index from the store to a registry. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Push an image (or an index with all its manifests) from the store to a registry.")
final class Push implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image in the store.")
    String image;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEST",
            description = "Where to push it, NAME[:TAG] (default: IMAGE itself).")
    String destination;

    @Mixin
    LoginOptions login;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    PushFormat format;

    @Override
    public Integer call() throws Exception {
        Reference target = Pull.parseReference(destination != null ? destination : image);
        if (target.digest() != null && destination != null) {
            throw new UsageException("DEST must name a tag, not a digest: " + destination);
        }
        Store store = Store.open(parent.storeRoot());
        push(store, image, target, login, progressOptions, format);
        return ExitCode.OK;
    }

    /**
     * Pushes what {@code image} names in the store (an image, or an index after all its manifests)
     * to {@code target}, mounting blobs from the image's own repository when both are on one
     * registry, and prints the summary line.
     */
    static void push(Store store, String image, Reference target, LoginOptions login, ProgressOptions progressOptions)
            throws IOException {
        push(store, image, target, login, progressOptions, new PushFormat());
    }

    /** {@link #push(Store, String, Reference, LoginOptions, ProgressOptions)} in the manifest format asked for. */
    static void push(Store store, String image, Reference target, LoginOptions login, ProgressOptions progressOptions,
            PushFormat format) throws IOException {
        Descriptor stored = store.resolve(image);
        Progress progress = progressOptions.open("push " + target);
        ContentCopy.Result result;
        try (Registry registry = login.open(); progress) {
            Descriptor root = store.withCompressedLayers(stored, progress::compressing);
            RegistryRepository repository = format.apply(registry.repository(target).withResendSource(store));
            Reference source = Pull.parseReference(image);
            if (source.registry().equals(target.registry()) && !source.repository().equals(target.repository())) {
                repository = repository.withMountSources(List.of(source.repository()));
            }
            result = format.report(new ContentCopy(store, repository, null, login.jobs, progress)
                    .copy(root, target.tag()), repository);
        }
        System.out.println(Pull.summary("pushed", target.toString(), result, progress));
    }
}
