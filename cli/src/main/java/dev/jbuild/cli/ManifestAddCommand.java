package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Platform;
import dev.jbuild.registry.Registry;
import dev.jbuild.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild manifest add NAME IMAGE}: adds an image (or a platform of a list) to a manifest list in the store. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Add an image from the store or a registry to a manifest list in the store.")
final class ManifestAddCommand implements Callable<Integer> {
    @ParentCommand
    ManifestCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "The manifest list in the store.")
    String name;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "A store name, or a registry name copied into the store.")
    String image;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "From an IMAGE that is itself a list, the platform to add (default: this machine's).")
    String platform;

    @Option(names = "--all", description = "From an IMAGE that is itself a list, add every manifest.")
    boolean all;

    @Option(names = "--annotation", paramLabel = "KEY=VALUE", description = "Annotate the new entry (repeatable).")
    List<String> annotations = new ArrayList<>();

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        if (all && platform != null) {
            throw new UsageException("--platform and --all exclude each other");
        }
        Platform wanted = all ? null : platform == null ? Platform.current() : Pull.parsePlatform(platform);
        Map<String, String> extra = ManifestAnnotateCommand.parseAnnotations(annotations);
        ManifestLists lists = new ManifestLists(Store.open(parent.storeRoot()));
        Index list = lists.load(name);
        List<Descriptor> entries;
        try (Registry registry = login.open()) {
            entries = lists.entriesOf(image, wanted, registry, login.jobs);
        }
        if (!extra.isEmpty()) {
            entries = entries.stream().map(entry -> {
                Map<String, String> merged = new LinkedHashMap<>(entry.annotations());
                merged.putAll(extra);
                return entry.withAnnotations(merged);
            }).toList();
        }
        lists.save(name, ManifestLists.with(list, entries));
        entries.forEach(entry -> System.out.println(ManifestLists.describe(entry)));
        return ExitCode.OK;
    }
}
