package dev.jbuild.oci.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTreesTest {
    /** Jackson's own data binding, the reference these streaming readers and writers must agree with. */
    private static final ObjectMapper REFERENCE = new ObjectMapper();
    private static final String DOCUMENT = """
            {"s":"text <&> \\u00e9 \\n","i":7,"l":12345678901,"big":123456789012345678901234567890,
             "d":1.5,"e":-2.5E-3,"t":true,"f":false,"n":null,"a":[1,"x",[],{}],"o":{"z":1,"a":{"deep":[null]}}}""";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheSameTreeAndPlainValuesAsJacksonsDataBinding() throws Exception {
        assertEquals(REFERENCE.readTree(bytes(DOCUMENT)), JsonTrees.readNode(bytes(DOCUMENT)));
        assertEquals(REFERENCE.readValue(bytes(DOCUMENT), Object.class), JsonTrees.readPlain(bytes(DOCUMENT)));
    }

    @Test
    void numbersKeepTheirJavaTypes() throws Exception {
        Map<?, ?> plain = (Map<?, ?>) JsonTrees.readPlain(bytes(DOCUMENT));
        assertInstanceOf(Integer.class, plain.get("i"));
        assertInstanceOf(Long.class, plain.get("l"));
        assertInstanceOf(BigInteger.class, plain.get("big"));
        assertInstanceOf(Double.class, plain.get("d"));
        JsonNode tree = JsonTrees.readNode(bytes(DOCUMENT));
        assertTrue(tree.get("i").isInt() && tree.get("l").isLong() && tree.get("big").isBigInteger() && tree.get("d").isDouble());
    }

    @Test
    void writesTheSameBytesAsJacksonsDataBinding() throws Exception {
        JsonNode tree = REFERENCE.readTree(bytes(DOCUMENT));
        Object plain = REFERENCE.readValue(bytes(DOCUMENT), Object.class);
        assertEquals(REFERENCE.writeValueAsString(tree), new String(JsonTrees.write(tree), StandardCharsets.UTF_8));
        assertEquals(REFERENCE.writeValueAsString(plain), new String(JsonTrees.write(plain), StandardCharsets.UTF_8));
        assertEquals(REFERENCE.writerWithDefaultPrettyPrinter().writeValueAsString(plain), JsonTrees.writePretty(plain));
        assertEquals(REFERENCE.writerWithDefaultPrettyPrinter().writeValueAsString(tree), JsonTrees.writePretty(tree));
    }

    @Test
    void plainValuesAndTreesConvertBothWays() throws Exception {
        JsonNode tree = JsonTrees.readNode(bytes(DOCUMENT));
        assertEquals(JsonTrees.readPlain(bytes(DOCUMENT)), JsonTrees.plain(tree));
        assertEquals(tree, JsonTrees.node(JsonTrees.plain(tree)));
    }

    @Test
    void treesMayBeNestedInPlainValues() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("tree", JsonTrees.node(List.of(1, "two")));
        value.put("float", 0.25f);
        assertEquals("{\"tree\":[1,\"two\"],\"float\":0.25}", new String(JsonTrees.write(value), StandardCharsets.UTF_8));
    }

    @Test
    void rejectsDuplicateKeysTrailingContentAndEmptyDocuments() {
        JsonProcessingException duplicate = assertThrows(JsonProcessingException.class,
                () -> JsonTrees.readNode(bytes("{\"a\":1,\"a\":2}")));
        assertTrue(duplicate.getOriginalMessage().contains("Duplicate field 'a'"), duplicate.getOriginalMessage());
        assertThrows(JsonProcessingException.class, () -> JsonTrees.readPlain(bytes("{\"a\":{\"b\":1,\"b\":1}}")));
        JsonProcessingException trailing = assertThrows(JsonProcessingException.class,
                () -> JsonTrees.readNode(bytes("{} {}")));
        assertTrue(trailing.getOriginalMessage().contains("trailing token"), trailing.getOriginalMessage());
        assertThrows(JsonProcessingException.class, () -> JsonTrees.readPlain(bytes("[1] x")));
        assertThrows(JsonProcessingException.class, () -> JsonTrees.readNode(bytes("  ")));
        assertThrows(JsonProcessingException.class, () -> JsonTrees.readNode(bytes("{\"a\":")));
    }

    @Test
    void refusesValuesThatAreNotPlainJson() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> JsonTrees.write(Map.of("when", Instant.EPOCH)));
        assertTrue(error.getMessage().contains("java.time.Instant"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonTrees.node(new Object()));
    }
}
