package dev.jbuild.oci;

import dev.jbuild.oci.internal.JsonCodec;

/**
 * JSON for documents this model has no type for (index.json of a layout, docker-archive
 * manifest.json, registry error bodies): plain Java values in, plain Java values out — maps
 * (insertion-ordered), lists, strings, numbers, booleans and null.
 */
public final class Json {
    private Json() {
    }

    /** Parses JSON, throwing {@link IllegalArgumentException} with the parser's message when malformed. */
    public static Object read(byte[] json) {
        return JsonCodec.readTree(json);
    }

    /** Compact JSON without HTML escaping, keys in the maps' iteration order. */
    public static byte[] write(Object value) {
        return JsonCodec.writeTree(value);
    }

    /** Indented JSON for people to read. */
    public static String writePretty(Object value) {
        return JsonCodec.writePretty(value);
    }
}
