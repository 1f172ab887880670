package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Platform;
import dev.jbuild.registry.Registry;
import dev.jbuild.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild manifest create NAME IMAGE…}: a new manifest list in the store from images in the store or a registry. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a manifest list (an OCI index, or a Docker manifest list with --format docker) in the "
                + "store from images in the store or in a registry.")
final class ManifestCreateCommand implements Callable<Integer> {
    @ParentCommand
    ManifestCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "The list's name in the store, NAME[:TAG].")
    String name;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "IMAGE",
            description = "Images to add: store names, or registry names copied into the store.")
    List<String> images = new ArrayList<>();

    @Option(names = "--format", paramLabel = "oci|docker", defaultValue = "oci",
            description = "The list's format: oci (an OCI image index, the default) or docker (a Docker manifest list).")
    String format;

    @Option(names = "--all", description = "From an IMAGE that is itself a list, add every manifest (default: only this machine's platform).")
    boolean all;

    @Option(names = "--amend", description = "Add to the list NAME when it exists instead of failing.")
    boolean amend;

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        boolean docker = switch (format) {
            case "oci" -> false;
            case "docker", "v2s2" -> true;
            default -> throw new UsageException("--format must be oci or docker, not " + format);
        };
        Store store = Store.open(parent.storeRoot());
        ManifestLists lists = new ManifestLists(store);
        Pull.parseReference(name);
        Index list;
        if (lists.exists(name)) {
            if (!amend) {
                throw new UsageException("a manifest list or image named " + name
                        + " is already in the store (add --amend to add to it)");
            }
            list = lists.load(name);
        } else {
            list = Index.of(docker, List.of());
        }
        try (Registry registry = login.open()) {
            for (String image : images) {
                list = ManifestLists.with(list, lists.entriesOf(image, all ? null : Platform.current(), registry, login.jobs));
            }
        }
        Descriptor saved = lists.save(name, list);
        System.out.println(saved.digest());
        return ExitCode.OK;
    }
}
