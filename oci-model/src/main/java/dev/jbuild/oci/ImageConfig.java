package dev.jbuild.oci;

import dev.jbuild.oci.internal.JsonCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The image configuration (OCI image-spec config, which Docker's is a superset of). */
public record ImageConfig(
        Instant created,
        String author,
        String architecture,
        String os,
        String osVersion,
        List<String> osFeatures,
        String variant,
        ContainerConfig config,
        RootFs rootfs,
        List<History> history,
        Map<String, Object> unknownFields) {

    public ImageConfig {
        author = author == null ? "" : author;
        architecture = architecture == null ? "" : architecture;
        os = os == null ? "" : os;
        osVersion = osVersion == null ? "" : osVersion;
        osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
        variant = variant == null ? "" : variant;
        config = config == null ? ContainerConfig.EMPTY : config;
        rootfs = rootfs == null ? RootFs.of(List.of()) : rootfs;
        history = history == null ? List.of() : List.copyOf(history);
        unknownFields = JsonCodec.copyOrdered(unknownFields);
    }

    /** The config of an empty image ({@code FROM scratch}) for a platform. */
    public static ImageConfig empty(Platform platform) {
        return new ImageConfig(null, "", platform.architecture(), platform.os(), platform.osVersion(),
                platform.osFeatures(), platform.variant(), ContainerConfig.EMPTY, RootFs.of(List.of()), List.of(),
                Map.of());
    }

    public static ImageConfig parse(byte[] json) {
        return JsonCodec.readConfig(json);
    }

    /** Canonical JSON: stable field order, empty fields omitted, unknown fields kept. */
    public byte[] toJson() {
        return JsonCodec.write(this);
    }

    /** The platform this image was built for. */
    public Platform platform() {
        if (os.isEmpty() || architecture.isEmpty()) {
            throw new IllegalStateException("image config has no os/architecture");
        }
        return new Platform(os, architecture, variant, osVersion, osFeatures);
    }

    public ImageConfig withConfig(ContainerConfig newConfig) {
        return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, newConfig, rootfs,
                history, unknownFields);
    }

    public ImageConfig withCreated(Instant newCreated) {
        return new ImageConfig(newCreated, author, architecture, os, osVersion, osFeatures, variant, config, rootfs,
                history, unknownFields);
    }

    public ImageConfig withAuthor(String newAuthor) {
        return new ImageConfig(created, newAuthor, architecture, os, osVersion, osFeatures, variant, config, rootfs,
                history, unknownFields);
    }

    public ImageConfig withPlatform(Platform platform) {
        return new ImageConfig(created, author, platform.architecture(), platform.os(), platform.osVersion(),
                platform.osFeatures(), platform.variant(), config, rootfs, history, unknownFields);
    }

    /** This config with one more layer and its history entry. */
    public ImageConfig withLayer(Digest diffId, History entry) {
        return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config,
                rootfs.append(diffId), appended(entry), unknownFields);
    }

    /** This config with a history entry for a step that made no layer ({@code empty_layer}). */
    public ImageConfig withEmptyLayerHistory(History entry) {
        if (!entry.emptyLayer()) {
            throw new IllegalArgumentException("history entry must be marked empty_layer");
        }
        return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config, rootfs,
                appended(entry), unknownFields);
    }

    private List<History> appended(History entry) {
        var all = new ArrayList<>(history);
        all.add(entry);
        return all;
    }
}
