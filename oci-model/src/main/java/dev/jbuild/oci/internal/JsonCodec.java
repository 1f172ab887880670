package dev.jbuild.oci.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.ContainerConfig;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.HealthCheck;
import dev.jbuild.oci.History;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.RootFs;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and writes the OCI JSON documents. Output is canonical: fields in the image-spec's order,
 * empty optional fields omitted, unknown fields kept after the known ones, no HTML escaping and
 * no whitespace, so the same model always gives the same bytes (and the same digest).
 */
public final class JsonCodec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Set<String> DESCRIPTOR_FIELDS =
            Set.of("mediaType", "digest", "size", "urls", "annotations", "platform", "artifactType");
    private static final Set<String> MANIFEST_FIELDS =
            Set.of("schemaVersion", "mediaType", "artifactType", "config", "layers", "subject", "annotations");
    private static final Set<String> INDEX_FIELDS =
            Set.of("schemaVersion", "mediaType", "artifactType", "manifests", "subject", "annotations");
    private static final Set<String> IMAGE_CONFIG_FIELDS = Set.of("created", "author", "architecture", "os",
            "os.version", "os.features", "variant", "config", "rootfs", "history");
    private static final Set<String> CONTAINER_CONFIG_FIELDS = Set.of("User", "ExposedPorts", "Env", "Entrypoint",
            "Cmd", "Volumes", "WorkingDir", "Labels", "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild", "Shell");

    private JsonCodec() {
    }

    /** An unmodifiable copy that keeps the iteration order (and allows null JSON values). */
    public static <V> Map<String, V> copyOrdered(Map<String, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    // ---- reading

    public static Manifest readManifest(byte[] json) {
        ObjectNode node = parseObject(json, "manifest");
        if (node.path("schemaVersion").asInt() == 1) {
            throw new IllegalArgumentException(
                    "unsupported manifest schemaVersion 1 (Docker schema 1 is obsolete; re-push the image with a current tool)");
        }
        return read("manifest", () -> new Manifest(
                intField(node, "schemaVersion"),
                text(node, "mediaType"),
                text(node, "artifactType"),
                descriptor(required(node, "config")),
                list(node.get("layers"), "layers", JsonCodec::descriptor),
                node.hasNonNull("subject") ? descriptor(node.get("subject")) : null,
                stringMap(node.get("annotations"), "annotations"),
                unknown(node, MANIFEST_FIELDS)));
    }

    public static Index readIndex(byte[] json) {
        ObjectNode node = parseObject(json, "index");
        return read("index", () -> new Index(
                intField(node, "schemaVersion"),
                text(node, "mediaType"),
                text(node, "artifactType"),
                list(node.get("manifests"), "manifests", JsonCodec::descriptor),
                node.hasNonNull("subject") ? descriptor(node.get("subject")) : null,
                stringMap(node.get("annotations"), "annotations"),
                unknown(node, INDEX_FIELDS)));
    }

    public static ImageConfig readConfig(byte[] json) {
        ObjectNode node = parseObject(json, "image config");
        return read("image config", () -> {
            JsonNode rootfs = node.get("rootfs");
            return new ImageConfig(
                    instant(node.get("created")),
                    text(node, "author"),
                    text(node, "architecture"),
                    text(node, "os"),
                    text(node, "os.version"),
                    list(node.get("os.features"), "os.features", JsonCodec::string),
                    text(node, "variant"),
                    node.hasNonNull("config") ? containerConfig(object(node.get("config"), "config")) : null,
                    rootfs == null || rootfs.isNull() ? null : new RootFs(text(object(rootfs, "rootfs"), "type"),
                            list(rootfs.get("diff_ids"), "diff_ids", n -> Digest.parse(string(n)))),
                    list(node.get("history"), "history", JsonCodec::history),
                    unknown(node, IMAGE_CONFIG_FIELDS));
        });
    }

    /** Reads any JSON document into plain Java values (maps, lists, strings, numbers, booleans). */
    public static Object readTree(byte[] json) {
        try {
            return JsonTrees.readPlain(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads any JSON document into a Jackson tree. */
    public static JsonNode readNode(byte[] json) {
        try {
            return JsonTrees.readNode(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes plain Java values (maps, lists, strings, numbers, booleans, null) or trees as compact JSON. */
    public static byte[] writeTree(Object value) {
        return JsonTrees.write(value);
    }

    /** Writes plain Java values or trees indented for people to read. */
    public static String writePretty(Object value) {
        return JsonTrees.writePretty(value);
    }

    private interface Reader<T> {
        T read();
    }

    private static <T> T read(String what, Reader<T> reader) {
        try {
            return reader.read();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("invalid " + what + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode parseObject(byte[] json, String what) {
        JsonNode node;
        try {
            node = JsonTrees.readNode(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid " + what + " JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("invalid " + what + " JSON: expected an object");
        }
        return (ObjectNode) node;
    }

    private static Descriptor descriptor(JsonNode value) {
        ObjectNode node = object(value, "descriptor");
        JsonNode size = required(node, "size");
        if (!size.isIntegralNumber()) {
            throw new IllegalArgumentException("descriptor size must be an integer");
        }
        return new Descriptor(
                string(required(node, "mediaType")),
                Digest.parse(string(required(node, "digest"))),
                size.asLong(),
                list(node.get("urls"), "urls", JsonCodec::string),
                stringMap(node.get("annotations"), "annotations"),
                node.hasNonNull("platform") ? platform(object(node.get("platform"), "platform")) : null,
                text(node, "artifactType"),
                unknown(node, DESCRIPTOR_FIELDS));
    }

    private static Platform platform(ObjectNode node) {
        return new Platform(string(required(node, "os")), string(required(node, "architecture")),
                text(node, "variant"), text(node, "os.version"),
                list(node.get("os.features"), "os.features", JsonCodec::string));
    }

    private static ContainerConfig containerConfig(ObjectNode node) {
        return new ContainerConfig(
                text(node, "User"),
                keySet(node.get("ExposedPorts"), "ExposedPorts"),
                list(node.get("Env"), "Env", JsonCodec::string),
                nullableList(node.get("Entrypoint"), "Entrypoint"),
                nullableList(node.get("Cmd"), "Cmd"),
                keySet(node.get("Volumes"), "Volumes"),
                text(node, "WorkingDir"),
                stringMap(node.get("Labels"), "Labels"),
                text(node, "StopSignal"),
                node.path("ArgsEscaped").asBoolean(false),
                node.hasNonNull("Healthcheck") ? healthCheck(object(node.get("Healthcheck"), "Healthcheck")) : null,
                list(node.get("OnBuild"), "OnBuild", JsonCodec::string),
                nullableList(node.get("Shell"), "Shell"),
                unknown(node, CONTAINER_CONFIG_FIELDS));
    }

    private static HealthCheck healthCheck(ObjectNode node) {
        return new HealthCheck(
                list(node.get("Test"), "Test", JsonCodec::string),
                Duration.ofNanos(node.path("Interval").asLong(0)),
                Duration.ofNanos(node.path("Timeout").asLong(0)),
                Duration.ofNanos(node.path("StartPeriod").asLong(0)),
                Duration.ofNanos(node.path("StartInterval").asLong(0)),
                node.path("Retries").asInt(0));
    }

    private static History history(JsonNode value) {
        ObjectNode node = object(value, "history entry");
        return new History(instant(node.get("created")), text(node, "created_by"), text(node, "author"),
                text(node, "comment"), node.path("empty_layer").asBoolean(false));
    }

    private static Instant instant(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(string(node), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid timestamp \"" + node.asText() + "\"", e);
        }
    }

    private static JsonNode required(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        return value;
    }

    private static int intField(ObjectNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isInt()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an integer");
        }
        return value.intValue();
    }

    private static ObjectNode object(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " must be an object");
        }
        return (ObjectNode) node;
    }

    private static String string(JsonNode node) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException("expected a string, got " + node.getNodeType().name().toLowerCase());
        }
        return node.textValue();
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : string(value);
    }

    private static <T> List<T> list(JsonNode node, String what, Function<JsonNode, T> element) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(what + " must be an array");
        }
        List<T> values = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            values.add(element.apply(item));
        }
        return values;
    }

    private static List<String> nullableList(JsonNode node, String what) {
        return node == null || node.isNull() ? null : list(node, what, JsonCodec::string);
    }

    private static Map<String, String> stringMap(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        object(node, what).properties().forEach(e -> values.put(e.getKey(), string(e.getValue())));
        return values;
    }

    private static Set<String> keySet(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        Set<String> keys = new LinkedHashSet<>();
        object(node, what).fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static Map<String, Object> unknown(ObjectNode node, Set<String> known) {
        Map<String, Object> extra = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (!known.contains(e.getKey())) {
                extra.put(e.getKey(), JsonTrees.plain(e.getValue()));
            }
        });
        return extra;
    }

    // ---- writing

    public static byte[] write(Manifest manifest) {
        ObjectNode node = NODES.objectNode();
        node.put("schemaVersion", manifest.schemaVersion());
        putText(node, "mediaType", manifest.mediaType());
        putText(node, "artifactType", manifest.artifactType());
        node.set("config", descriptorNode(manifest.config()));
        ArrayNode layers = node.putArray("layers");
        manifest.layers().forEach(d -> layers.add(descriptorNode(d)));
        if (manifest.subject() != null) {
            node.set("subject", descriptorNode(manifest.subject()));
        }
        putStringMap(node, "annotations", manifest.annotations());
        putUnknown(node, manifest.unknownFields());
        return bytes(node);
    }

    public static byte[] write(Index index) {
        ObjectNode node = NODES.objectNode();
        node.put("schemaVersion", index.schemaVersion());
        putText(node, "mediaType", index.mediaType());
        putText(node, "artifactType", index.artifactType());
        ArrayNode manifests = node.putArray("manifests");
        index.manifests().forEach(d -> manifests.add(descriptorNode(d)));
        if (index.subject() != null) {
            node.set("subject", descriptorNode(index.subject()));
        }
        putStringMap(node, "annotations", index.annotations());
        putUnknown(node, index.unknownFields());
        return bytes(node);
    }

    public static byte[] write(ImageConfig config) {
        ObjectNode node = NODES.objectNode();
        if (config.created() != null) {
            node.put("created", DateTimeFormatter.ISO_INSTANT.format(config.created()));
        }
        putText(node, "author", config.author());
        putText(node, "architecture", config.architecture());
        putText(node, "os", config.os());
        putText(node, "os.version", config.osVersion());
        putStrings(node, "os.features", config.osFeatures());
        putText(node, "variant", config.variant());
        node.set("config", containerConfigNode(config.config()));
        ObjectNode rootfs = node.putObject("rootfs");
        rootfs.put("type", config.rootfs().type());
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        config.rootfs().diffIds().forEach(d -> diffIds.add(d.toString()));
        if (!config.history().isEmpty()) {
            ArrayNode history = node.putArray("history");
            config.history().forEach(h -> history.add(historyNode(h)));
        }
        putUnknown(node, config.unknownFields());
        return bytes(node);
    }

    private static ObjectNode descriptorNode(Descriptor descriptor) {
        ObjectNode node = NODES.objectNode();
        node.put("mediaType", descriptor.mediaType());
        node.put("digest", descriptor.digest().toString());
        node.put("size", descriptor.size());
        putStrings(node, "urls", descriptor.urls());
        putStringMap(node, "annotations", descriptor.annotations());
        if (descriptor.platform() != null) {
            node.set("platform", platformNode(descriptor.platform()));
        }
        putText(node, "artifactType", descriptor.artifactType());
        putUnknown(node, descriptor.unknownFields());
        return node;
    }

    private static ObjectNode platformNode(Platform platform) {
        ObjectNode node = NODES.objectNode();
        node.put("architecture", platform.architecture());
        node.put("os", platform.os());
        putText(node, "os.version", platform.osVersion());
        putStrings(node, "os.features", platform.osFeatures());
        putText(node, "variant", platform.variant());
        return node;
    }

    private static ObjectNode containerConfigNode(ContainerConfig config) {
        ObjectNode node = NODES.objectNode();
        putText(node, "User", config.user());
        putKeySet(node, "ExposedPorts", config.exposedPorts());
        putStrings(node, "Env", config.env());
        if (config.entrypoint() != null) {
            node.set("Entrypoint", stringArray(config.entrypoint()));
        }
        if (config.cmd() != null) {
            node.set("Cmd", stringArray(config.cmd()));
        }
        putKeySet(node, "Volumes", config.volumes());
        putText(node, "WorkingDir", config.workingDir());
        putStringMap(node, "Labels", config.labels());
        putText(node, "StopSignal", config.stopSignal());
        if (config.argsEscaped()) {
            node.put("ArgsEscaped", true);
        }
        if (config.healthcheck() != null) {
            HealthCheck check = config.healthcheck();
            ObjectNode health = node.putObject("Healthcheck");
            health.set("Test", stringArray(check.test()));
            putNanos(health, "Interval", check.interval());
            putNanos(health, "Timeout", check.timeout());
            putNanos(health, "StartPeriod", check.startPeriod());
            putNanos(health, "StartInterval", check.startInterval());
            if (check.retries() != 0) {
                health.put("Retries", check.retries());
            }
        }
        putStrings(node, "OnBuild", config.onBuild());
        if (config.shell() != null) {
            node.set("Shell", stringArray(config.shell()));
        }
        putUnknown(node, config.unknownFields());
        return node;
    }

    private static ObjectNode historyNode(History history) {
        ObjectNode node = NODES.objectNode();
        if (history.created() != null) {
            node.put("created", DateTimeFormatter.ISO_INSTANT.format(history.created()));
        }
        putText(node, "created_by", history.createdBy());
        putText(node, "author", history.author());
        putText(node, "comment", history.comment());
        if (history.emptyLayer()) {
            node.put("empty_layer", true);
        }
        return node;
    }

    private static void putNanos(ObjectNode node, String field, Duration duration) {
        if (!duration.isZero()) {
            node.put(field, duration.toNanos());
        }
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static void putStrings(ObjectNode node, String field, List<String> values) {
        if (!values.isEmpty()) {
            node.set(field, stringArray(values));
        }
    }

    private static ArrayNode stringArray(List<String> values) {
        ArrayNode array = NODES.arrayNode(values.size());
        values.forEach(array::add);
        return array;
    }

    private static void putStringMap(ObjectNode node, String field, Map<String, String> values) {
        if (!values.isEmpty()) {
            ObjectNode map = node.putObject(field);
            values.forEach(map::put);
        }
    }

    private static void putKeySet(ObjectNode node, String field, Set<String> keys) {
        if (!keys.isEmpty()) {
            ObjectNode map = node.putObject(field);
            keys.forEach(k -> map.putObject(k));
        }
    }

    private static void putUnknown(ObjectNode node, Map<String, Object> unknown) {
        unknown.forEach((k, v) -> node.set(k, JsonTrees.node(v)));
    }

    private static byte[] bytes(ObjectNode node) {
        return JsonTrees.write(node);
    }
}
