package dev.jbuild.cli;

import dev.jbuild.builder.Builder;
import dev.jbuild.builder.PrunedCacheMounts;
import dev.jbuild.store.PruneReport;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jbuild prune}: frees blobs and unpacked layers that no tag or build-cache record uses. */
@Command(name = "prune", description = "Remove blobs and unpacked layers no image or build-cache record uses.")
final class PruneCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--all", description = "Also remove unused content written in the last "
            + "10 minutes (a pull or build still running may need it).")
    boolean all;

    @Option(names = "--cache-mounts", description = "Also remove the RUN --mount=type=cache directories that no "
            + "running build is using (later builds start them afresh).")
    boolean cacheMounts;

    @Override
    public Integer call() throws IOException {
        Store store = Store.open(parent.storeRoot());
        PruneReport report = store.prune(all ? Duration.ZERO : Store.DEFAULT_PRUNE_GRACE);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Removed " + report.blobsRemoved() + " blobs (" + ImagesCommand.humanSize(report.bytesFreed())
                + "), " + report.layersRemoved() + " unpacked layers, " + report.leftoversRemoved()
                + " leftovers of interrupted writes and builds");
        if (cacheMounts) {
            PrunedCacheMounts mounts = Builder.pruneCacheMounts(store);
            out.println("Removed " + mounts.removed() + " cache mounts (" + ImagesCommand.humanSize(mounts.bytesFreed())
                    + ")" + (mounts.inUse() > 0 ? "; kept " + mounts.inUse() + " that running builds are using" : ""));
        }
        out.flush();
        return ExitCode.OK;
    }
}
