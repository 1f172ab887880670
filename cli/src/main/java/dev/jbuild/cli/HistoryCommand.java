package dev.jbuild.cli;

import dev.jbuild.oci.History;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.Layer;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jbuild history IMAGE}: the steps that made an image, newest first, with the size of each one's layer. */
@Command(name = "history", description = "Show the history of an image: each step, newest first, and its layer's size.")
final class HistoryCommand implements Callable<Integer> {
    /** How much of a step's command a line shows unless {@code --no-trunc}, as docker history. */
    private static final int CREATED_BY_WIDTH = 45;

    @ParentCommand
    JbuildCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--no-trunc", description = "Show each step's whole command.")
    boolean noTrunc;

    @Mixin
    StoredImage image;

    @Override
    public Integer call() throws IOException {
        Image selected = image.in(Store.open(parent.storeRoot()));
        List<String[]> steps = new ArrayList<>();
        Iterator<Layer> layers = selected.layers().iterator();
        for (History history : selected.config().history()) {
            // each history entry that is not an empty layer made the next layer, in order
            long size = history.emptyLayer() || !layers.hasNext() ? 0 : layers.next().size();
            String createdBy = history.createdBy().replace('\n', ' ').replace('\t', ' ');
            if (!noTrunc && createdBy.length() > CREATED_BY_WIDTH) {
                createdBy = createdBy.substring(0, CREATED_BY_WIDTH - 1) + "…";
            }
            steps.add(new String[] {history.created() == null ? "-" : history.created().toString(), createdBy,
                    ImagesCommand.humanSize(size), history.comment()});
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CREATED", "CREATED BY", "SIZE", "COMMENT"});
        rows.addAll(steps.reversed());
        PrintWriter out = spec.commandLine().getOut();
        Tables.print(out, rows);
        out.flush();
        return ExitCode.OK;
    }
}
