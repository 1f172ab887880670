package dev.jbuild.cli;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
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

/** {@code jbuild manifest annotate NAME IMAGE}: changes the platform or annotations of an entry of a manifest list. */
@Command(name = "annotate", mixinStandardHelpOptions = true,
        description = "Set the platform fields or annotations of an entry of a manifest list in the store.")
final class ManifestAnnotateCommand implements Callable<Integer> {
    @ParentCommand
    ManifestCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "The manifest list in the store.")
    String name;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "The entry's digest, or the image it was added from.")
    String image;

    @Option(names = "--os", paramLabel = "OS", description = "The entry's operating system.")
    String os;

    @Option(names = "--arch", paramLabel = "ARCH", description = "The entry's architecture.")
    String architecture;

    @Option(names = "--variant", paramLabel = "VARIANT", description = "The entry's architecture variant, e.g. v7.")
    String variant;

    @Option(names = "--os-version", paramLabel = "VERSION", description = "The entry's os.version.")
    String osVersion;

    @Option(names = "--os-features", paramLabel = "FEATURE", split = ",",
            description = "The entry's os.features (comma-separated).")
    List<String> osFeatures;

    @Option(names = "--annotation", paramLabel = "KEY=VALUE",
            description = "Set an annotation on the entry (repeatable; an empty VALUE removes KEY).")
    List<String> annotations = new ArrayList<>();

    @Mixin
    LoginOptions login;

    @Override
    public Integer call() throws Exception {
        Map<String, String> changes = parseAnnotations(annotations);
        ManifestLists lists = new ManifestLists(Store.open(parent.storeRoot()));
        Index list = lists.load(name);
        List<Digest> candidates;
        if (Digest.isDigest(image)) {
            candidates = List.of(Digest.parse(image));
        } else {
            try (Registry registry = login.open()) {
                candidates = lists.digestsOf(image, null, registry, login.jobs);
            }
        }
        List<Descriptor> matching = list.manifests().stream().filter(d -> candidates.contains(d.digest())).toList();
        if (matching.size() > 1) {
            throw new UsageException(image + " matches " + matching.size() + " entries of " + name
                    + "; name the entry by its digest");
        }
        Descriptor entry = ManifestLists.entry(list, name, candidates, image);
        Descriptor changed = entry.withPlatform(platform(entry.platform())).withAnnotations(annotated(entry, changes));
        lists.save(name, list.withManifests(list.manifests().stream()
                .map(d -> d.digest().equals(entry.digest()) ? changed : d).toList()));
        System.out.println(ManifestLists.describe(changed));
        return ExitCode.OK;
    }

    private Platform platform(Platform old) {
        if (os == null && architecture == null && variant == null && osVersion == null && osFeatures == null) {
            return old;
        }
        String newOs = os != null ? os : old != null ? old.os() : "";
        String newArch = architecture != null ? architecture : old != null ? old.architecture() : "";
        if (newOs.isEmpty() || newArch.isEmpty()) {
            throw new UsageException("the entry has no platform yet: give both --os and --arch");
        }
        return new Platform(newOs, newArch,
                variant != null ? variant : old != null ? old.variant() : "",
                osVersion != null ? osVersion : old != null ? old.osVersion() : "",
                osFeatures != null ? osFeatures : old != null ? old.osFeatures() : List.of());
    }

    private static Map<String, String> annotated(Descriptor entry, Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(entry.annotations());
        changes.forEach((key, value) -> {
            if (value.isEmpty()) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** {@code KEY=VALUE} options as an ordered map, failing clearly on a missing {@code =} or key. */
    static Map<String, String> parseAnnotations(List<String> options) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String option : options) {
            int equals = option.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--annotation needs KEY=VALUE, not \"" + option + "\"");
            }
            parsed.put(option.substring(0, equals), option.substring(equals + 1));
        }
        return parsed;
    }
}
