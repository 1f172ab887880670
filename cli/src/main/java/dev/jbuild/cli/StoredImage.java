package dev.jbuild.cli;

import dev.jbuild.oci.Image;
import dev.jbuild.oci.Platform;
import dev.jbuild.store.Store;
import java.io.IOException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The IMAGE argument and {@code --platform} option of the commands that show one image of the store. */
final class StoredImage {
    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The image to show from a multi-platform index (default: this machine's).")
    String platform;

    @Parameters(paramLabel = "IMAGE", description = "name[:tag], name@digest or digest.")
    String name;

    /** The image the argument names in {@code store}, for the platform asked for. */
    Image in(Store store) throws IOException {
        Platform wanted;
        try {
            wanted = platform == null ? Platform.current() : Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return store.image(name, wanted);
    }
}
