package dev.jbuild.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.oci.internal.JsonCodec;

/**
 * JSON for documents this model has no type for (index.json of a layout, docker-archive
 * manifest.json, registry error bodies): plain Java values in, plain Java values out — maps
 * (insertion-ordered), lists, strings, numbers, booleans and null — or Jackson trees. Every
 * module reads and writes JSON through here, which keeps Jackson's costly {@code ObjectMapper}
 * out of the process.
 */
public final class Json {
    private Json() {
    }

    /** Parses JSON, throwing {@link IllegalArgumentException} with the parser's message when malformed. */
    public static Object read(byte[] json) {
        return JsonCodec.readTree(json);
    }

    /** Parses JSON into a Jackson tree, throwing {@link IllegalArgumentException} with the parser's message when malformed. */
    public static JsonNode readNode(byte[] json) {
        return JsonCodec.readNode(json);
    }

    /** Compact JSON of plain values or trees, without HTML escaping, keys in the maps' iteration order. */
    public static byte[] write(Object value) {
        return JsonCodec.writeTree(value);
    }

    /** Indented JSON for people to read. */
    public static String writePretty(Object value) {
        return JsonCodec.writePretty(value);
    }
}
