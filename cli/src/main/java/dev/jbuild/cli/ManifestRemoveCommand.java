package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Platform;
import dev.jbuild.registry.Registry;
import dev.jbuild.store.Store;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild manifest remove NAME IMAGE}: takes an entry out of a manifest list in the store. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Remove an entry, named by its digest or by the image it came from, from a manifest list.")
final class ManifestRemoveCommand implements Callable<Integer> {
    @ParentCommand
    ManifestCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "The manifest list in the store.")
    String name;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "The entry's digest, or the image it was added from.")
    String image;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "When IMAGE is itself a list: the platform whose entry to remove (default: every one of it).")
    String platform;

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        ManifestLists lists = new ManifestLists(Store.open(parent.storeRoot()));
        Index list = lists.load(name);
        List<Digest> candidates;
        if (Digest.isDigest(image)) {
            candidates = List.of(Digest.parse(image));
        } else {
            Platform wanted = platform == null ? null : Pull.parsePlatform(platform);
            try (Registry registry = login.open()) {
                candidates = lists.digestsOf(image, wanted, registry, login.jobs);
            }
        }
        ManifestLists.entry(list, name, candidates, image);
        List<Descriptor> kept = list.manifests().stream().filter(d -> !candidates.contains(d.digest())).toList();
        list.manifests().stream().filter(d -> candidates.contains(d.digest()))
                .forEach(d -> System.out.println("removed " + ManifestLists.describe(d)));
        lists.save(name, list.withManifests(kept));
        return ExitCode.OK;
    }
}
