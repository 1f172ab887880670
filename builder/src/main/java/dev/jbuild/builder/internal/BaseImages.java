package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.Material;
import dev.jbuild.builder.NamedContext;
import dev.jbuild.builder.ProgressListener;
import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.registry.RegistryRepository;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the images FROM and {@code --from} name: in the store, or pulled into it once per build
 * (always with {@code --pull}), for the build's platform. A name {@code --build-context} gives is
 * the image it says instead.
 */
public final class BaseImages {
    private final Store store;
    private final RegistryOptions registryOptions;
    private final boolean pull;
    private final ProgressListener progress;
    private final Map<String, NamedContext> namedContexts;
    /** Images resolved in this build: each is pulled at most once, and stages that share a base read it once. */
    private final Map<String, Image> resolved = new HashMap<>();
    /** The registry images among them, with what their references resolved to, for provenance. */
    private final Set<Material> materials = new LinkedHashSet<>();

    public BaseImages(Store store, RegistryOptions registryOptions, boolean pull, ProgressListener progress,
                      Map<String, NamedContext> namedContexts) {
        this.store = store;
        this.namedContexts = Map.copyOf(namedContexts);
        this.registryOptions = registryOptions;
        this.pull = pull;
        this.progress = progress;
    }

    /** The image {@code reference} names for {@code platform}. */
    public synchronized Image resolve(String reference, Platform platform) throws IOException {
        NamedContext named = namedContexts.get(reference.toLowerCase(Locale.ROOT));
        String key = (named != null ? "named " + reference.toLowerCase(Locale.ROOT) : Reference.parse(reference).toString())
                + "|" + platform.format();
        Image known = resolved.get(key);
        if (known != null) {
            return known;
        }
        Image image = named != null ? named(reference, named, platform) : find(Reference.parse(reference), platform);
        resolved.put(key, image);
        return image;
    }

    /** The image of a {@code --build-context}; the names of the context are not looked up again. */
    private Image named(String name, NamedContext context, Platform platform) throws IOException {
        return switch (context) {
            case NamedContext.Image image -> find(Reference.parse(image.reference()), platform);
            case NamedContext.OciLayout layout -> {
                progress.onEvent(new BuildEvent.Message("importing " + layout.directory() + ":" + layout.tagOrDigest()
                        + " for the build context " + name));
                ContentCopy.Result copied = new ContentCopy(OciLayout.open(layout.directory()), store, platform, 4,
                        ContentCopy.Listener.NONE).copy(layout.tagOrDigest(), "");
                Image image = store.image(copied.root().digest().toString(), platform);
                if (!isFor(image, platform)) {
                    throw new StoreException(layout.directory() + ":" + layout.tagOrDigest() + " is a "
                            + image.config().platform().format() + " image, with no " + platform.format() + " variant");
                }
                yield image;
            }
            case NamedContext.Directory directory -> throw new StoreException("the build context " + name + " is the "
                    + "directory " + directory.path() + ": COPY --from and bind mounts read it, but it is no image");
        };
    }

    /** The registry images this build used, each with the digest its reference resolved to. */
    public synchronized List<Material> materials() {
        return List.copyOf(materials);
    }

    private Image find(Reference parsed, Platform platform) throws IOException {
        Image image = findImage(parsed, platform);
        Digest root = parsed.digest() != null ? parsed.digest() : store.resolve(parsed.toString()).digest();
        materials.add(Material.image(parsed, platform, root));
        return image;
    }

    private Image findImage(Reference parsed, Platform platform) throws IOException {
        if (!pull) {
            try {
                Image stored = store.image(parsed.toString(), platform);
                // a tag naming one image serves only that image's platform; another one must be pulled
                if (isFor(stored, platform)) {
                    return stored;
                }
            } catch (StoreException notInStore) {
                // not in the store yet: pulled below
            }
        }
        progress.onEvent(new BuildEvent.Message("pulling " + parsed.familiar() + " for " + platform.format()));
        try (Registry registry = new Registry(registryOptions)) {
            RegistryRepository repository = registry.pullRepository(parsed);
            String tag = parsed.digest() != null ? "" : Store.tagName(parsed);
            ContentCopy.Result result = new ContentCopy(repository, store, platform, 4, ContentCopy.Listener.NONE)
                    .copy(parsed.identifier(), tag);
            Image image = parsed.digest() != null
                    ? store.image(result.root().digest().toString(), platform)
                    : store.image(parsed.toString(), platform);
            if (!isFor(image, platform)) {
                throw new StoreException(parsed.familiar() + " is a " + image.config().platform().format()
                        + " image, with no " + platform.format() + " variant");
            }
            return image;
        }
    }

    /** True unless the image's config names a platform that does not match (configs without one serve any). */
    private static boolean isFor(Image image, Platform platform) throws IOException {
        var config = image.config();
        return config.os().isEmpty() || config.architecture().isEmpty() || config.platform().matches(platform);
    }
}
