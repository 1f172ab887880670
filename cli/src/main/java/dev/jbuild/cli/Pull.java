package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.store.Store;
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

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The platform to pick from a multi-platform image (default: this machine's).")
    String platform;

    @Option(names = {"-a", "--all-platforms"}, description = "Pull the whole index with every platform.")
    boolean allPlatforms;

    @Mixin
    LoginOptions login;

    @Mixin
    ProgressOptions progressOptions;

    @Override
    public Integer call() throws Exception {
        if (allPlatforms && platform != null) {
            throw new UsageException("--platform and --all-platforms exclude each other");
        }
        Reference reference = parseReference(image);
        Platform wanted = allPlatforms ? null : platform == null ? Platform.current() : parsePlatform(platform);
        Store store = Store.open(parent.storeRoot());
        try (Registry registry = login.open(); Progress progress = progressOptions.open("pull " + reference)) {
            ContentCopy copy = new ContentCopy(registry.pullRepository(reference), store, wanted, login.jobs, progress);
            ContentCopy.Result result = copy.copy(reference.identifier(),
                    reference.tag().isEmpty() ? "" : reference.toString());
            progress.close();
            System.out.println(summary("pulled", reference.toString(), result, progress));
        }
        return ExitCode.OK;
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
                + String.format(java.util.Locale.ROOT, "%.1fs, %s/s", seconds,
                        Progress.human((long) (result.bytesTransferred() / seconds))) + ")";
    }
}
