package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class RunSizeConverterTest {
    private final RunSizeConverter converter = new RunSizeConverter();

    @Test
    void acceptsDockerStyleSizes() {
        assertEquals(1000L, converter.convert("1000"));
        assertEquals(1000L, converter.convert("1000b"));
        assertEquals(64L << 10, converter.convert("64k"));
        assertEquals(512L << 20, converter.convert("512M"));
        assertEquals(2L << 30, converter.convert("2g"));
    }

    @Test
    void rejectsNonsenseNamingTheValue() {
        assertEquals("invalid size \"lots\": use a positive number with an optional k, m or g suffix",
                assertThrows(TypeConversionException.class, () -> converter.convert("lots")).getMessage());
        assertThrows(TypeConversionException.class, () -> converter.convert("-5m"));
        assertThrows(TypeConversionException.class, () -> converter.convert("0"));
        assertThrows(TypeConversionException.class, () -> converter.convert("99999999999g"));
    }
}
