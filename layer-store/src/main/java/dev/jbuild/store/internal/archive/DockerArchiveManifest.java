package dev.jbuild.store.internal.archive;

import dev.jbuild.oci.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code manifest.json} of a docker-archive: per image, its config file, repo tags and layer files. */
public final class DockerArchiveManifest {
    private DockerArchiveManifest() {
    }

    /** One image of the archive. */
    public record Entry(String config, List<String> repoTags, List<String> layers) {
        public Entry {
            repoTags = List.copyOf(repoTags);
            layers = List.copyOf(layers);
        }
    }

    public static List<Entry> read(byte[] json) {
        if (!(Json.read(json) instanceof List<?> items)) {
            throw new IllegalArgumentException("expected a JSON array");
        }
        List<Entry> entries = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> map) || !(map.get("Config") instanceof String config)) {
                throw new IllegalArgumentException("each image needs a \"Config\" string");
            }
            entries.add(new Entry(config, strings(map.get("RepoTags"), "RepoTags"), strings(map.get("Layers"), "Layers")));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("it lists no images");
        }
        return entries;
    }

    public static byte[] write(List<Entry> entries) {
        List<Object> items = new ArrayList<>();
        for (Entry entry : entries) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("Config", entry.config());
            map.put("RepoTags", entry.repoTags().isEmpty() ? null : entry.repoTags());
            map.put("Layers", entry.layers());
            items.add(map);
        }
        return Json.write(items);
    }

    private static List<String> strings(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (Object element : list) {
            if (!(element instanceof String s)) {
                throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
            }
            strings.add(s);
        }
        return strings;
    }
}
