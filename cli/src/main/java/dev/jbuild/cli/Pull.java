package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryRepository;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild pull} / {@code jpull}: copies an image from a registry into the store. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Pull an image from a registry into the store (for one platform unless --all-platforms).")
final class Pull implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Parameters(paramLabel = "IMAGE", description = "NAME[:TAG|@DIGEST], e.g. busybox, localhost:5000/app:1.")
    String image;

    @Mixin
    PlatformChoice platforms;

    @Mixin
    LoginOptions login;

    @Mixin
    ProgressOptions progressOptions;

    @Override
    public Integer call() throws Exception {
        Reference reference = parseReference(image);
        Platform wanted = platforms.wanted();
        Store store = Store.open(parent.storeRoot());
        Progress progress = progressOptions.open("pull " + reference);
        ContentCopy.Result result;
        try (Registry registry = login.open(); progress) {
            RegistryRepository repository = registry.pullRepository(reference);
            Descriptor root = repository.resolve(reference.identifier());
            if (platforms.explicit()) {
                requirePlatform(repository, root, wanted);
            }
            ContentCopy copy = new ContentCopy(repository, store, wanted, login.jobs, progress);
            result = copy.copy(root, reference.tag().isEmpty() ? "" : reference.toString());
        }
        System.out.println(summary("pulled", reference.toString(), result, progress));
        return ExitCode.OK;
    }

    /**
     * An explicit {@code --platform} must match a single-platform image too, as {@code docker pull --platform} checks;
     * an index is matched entry by entry by the copy itself.
     */
    static void requirePlatform(ContentSource source, Descriptor root, Platform wanted) throws IOException {
        if (!MediaType.isManifest(root.mediaType())) {
            return;
        }
        ImageConfig config = ImageConfig.parse(source.readAll(Manifest.parse(source.readAll(root)).config()));
        if (!config.os().isEmpty() && !config.architecture().isEmpty() && !config.platform().matches(wanted)) {
            throw new IOException("the image is a single " + config.platform().format() + " image, not "
                    + wanted.format() + " (its manifest " + root.digest() + " is not an index)");
        }
    }

    static Reference parseReference(String text) {
        try {
            return Reference.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static Platform parsePlatform(String text) {
        try {
            return Platform.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The one line every transfer command ends with: what, where, the digest, and how much moved how fast. */
    static String summary(String verb, String what, ContentCopy.Result result, Progress progress) {
        double seconds = Math.max(progress.elapsedSeconds(), 1e-3);
        return verb + " " + what + " " + result.root().digest() + " (" + Progress.human(result.bytesTransferred())
                + " transferred, " + Progress.human(result.bytesSkipped()) + " already present, "
                + Decimals.fixed(seconds, 1) + "s, "
                + Progress.human((long) (result.bytesTransferred() / seconds)) + "/s" + ")";
    }
}
