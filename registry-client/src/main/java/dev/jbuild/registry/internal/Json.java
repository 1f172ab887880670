package dev.jbuild.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** JSON parsing for the small documents the protocol exchanges, with errors that name the document. */
public final class Json {
    private Json() {
    }

    /** Parses {@code bytes} as JSON; {@code what} names the document in errors. */
    public static JsonNode read(byte[] bytes, String what) throws IOException {
        try {
            return dev.jbuild.oci.Json.readNode(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException(what + " is not valid JSON: " + parserMessage(e), e);
        }
    }

    /** The parser's own words, without the "invalid JSON" prefix the model adds. */
    static String parserMessage(IllegalArgumentException e) {
        return e.getCause() instanceof JsonProcessingException parser ? parser.getOriginalMessage() : e.getMessage();
    }

    /** Parses JSON leniently: null when {@code bytes} is not JSON (error bodies may be text or HTML). */
    public static JsonNode tryRead(byte[] bytes) {
        try {
            return dev.jbuild.oci.Json.readNode(bytes);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
