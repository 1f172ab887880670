package dev.jbuild.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The one JSON mapper of this module, for the small documents the protocol exchanges. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Parses {@code bytes} as JSON; {@code what} names the document in errors. */
    public static JsonNode read(byte[] bytes, String what) throws IOException {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null) {
                throw new IOException(what + " is empty");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON leniently: null when {@code bytes} is not JSON (error bodies may be text or HTML). */
    public static JsonNode tryRead(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }
}
