package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.RootfsImport;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jbuild import}: makes a one-layer image from a rootfs tarball or directory, like {@code docker import}. */
@Command(name = "import", description = "Make a one-layer image from a root filesystem tarball (plain, gzip or "
        + "zstd) or directory.")
final class ImportCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The platform recorded in the image config (default: this machine's).")
    String platform;

    @Parameters(index = "0", paramLabel = "TARBALL|DIR", description = "The root filesystem.")
    Path source;

    @Parameters(index = "1", paramLabel = "NAME[:TAG]", description = "The name of the new image.")
    String name;

    @Override
    public Integer call() throws IOException {
        Reference reference = TagCommand.parseReference(name);
        Platform target;
        try {
            target = platform == null ? Platform.current() : Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Descriptor manifest = RootfsImport.importRootfs(Store.open(parent.storeRoot()), source, reference, target);
        spec.commandLine().getOut().println(manifest.digest());
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
