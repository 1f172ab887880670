package dev.jbuild.cli;

import dev.jbuild.oci.Platform;
import picocli.CommandLine.Option;

/** The {@code --platform} / {@code --all-platforms} pair of the commands that take images from an index. */
final class PlatformChoice {
    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The platform to pick from a multi-platform image (default: this machine's).")
    String platform;

    @Option(names = {"-a", "--all-platforms"}, description = "Take the whole index with every platform.")
    boolean allPlatforms;

    /** The platform to pick, or null for every platform. */
    Platform wanted() {
        if (allPlatforms && platform != null) {
            throw new UsageException("--platform and --all-platforms exclude each other");
        }
        return allPlatforms ? null : platform == null ? Platform.current() : Pull.parsePlatform(platform);
    }

    /** True when the user named a platform (rather than taking this machine's by default). */
    boolean explicit() {
        return platform != null;
    }
}
