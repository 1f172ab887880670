package dev.jbuild.cli;

import dev.jbuild.store.FsckReport;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jbuild fsck}: verifies the store; exits 4 when anything is damaged. */
@Command(name = "fsck", description = "Verify every blob, image and unpacked layer in the store "
        + "(damaged blobs are moved to quarantine/; exit code 4 on damage).")
final class FsckCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        FsckReport report = Store.open(parent.storeRoot()).fsck();
        PrintWriter out = spec.commandLine().getOut();
        report.damage().forEach(out::println);
        out.println("checked " + report.blobsChecked() + " blobs (" + ImagesCommand.humanSize(report.bytesChecked())
                + ") and " + report.layersChecked() + " unpacked layers: "
                + (report.clean() ? "ok" : report.damage().size() + " problems"));
        out.flush();
        return report.clean() ? ExitCode.OK : ExitCode.STORE;
    }
}
