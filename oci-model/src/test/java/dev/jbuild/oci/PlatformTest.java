package dev.jbuild.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            linux/amd64        | linux/amd64
            linux/x86_64       | linux/amd64
            linux/amd64/v1     | linux/amd64
            linux/amd64/v3     | linux/amd64/v3
            linux/aarch64      | linux/arm64
            linux/arm64/v8     | linux/arm64
            linux/arm64/8      | linux/arm64
            linux/arm          | linux/arm/v7
            linux/armhf        | linux/arm/v7
            linux/arm/6        | linux/arm/v6
            linux/i686         | linux/386
            arm64              | linux/arm64
            """)
    void normalises(String given, String canonical) {
        assertEquals(canonical, Platform.parse(given).normalized().format());
    }

    @Test
    void matchesAfterNormalisation() {
        assertTrue(new Platform("linux", "arm64", "v8").matches(Platform.parse("linux/arm64")));
        assertTrue(new Platform("linux", "arm64").matches(Platform.parse("linux/aarch64")));
        assertTrue(new Platform("linux", "arm", "v7").matches(Platform.parse("linux/arm")));
        assertFalse(new Platform("linux", "arm", "v6").matches(Platform.parse("linux/arm")));
        assertFalse(new Platform("linux", "amd64").matches(Platform.parse("linux/arm64")));
        assertFalse(new Platform("windows", "amd64").matches(Platform.parse("linux/amd64")));
    }

    @Test
    void ignoresOsVersionUnlessAskedExactly() {
        Platform windows = new Platform("windows", "amd64", "", "10.0.17763.1", List.of());
        Platform wanted = new Platform("windows", "amd64", "", "10.0.20348.1", List.of());
        assertTrue(windows.matches(wanted));
        assertFalse(windows.matchesExactly(wanted));
        assertTrue(windows.matchesExactly(Platform.parse("windows/amd64")));
    }

    @Test
    void keepsWhatWasGiven() {
        Platform platform = Platform.parse("linux/arm64/v8");
        assertEquals("v8", platform.variant());
        assertEquals("linux/arm64/v8", platform.toString());
    }

    @Test
    void currentIsNormalisedLinux() {
        Platform current = Platform.current();
        assertEquals("linux", current.os());
        assertEquals(current, current.normalized());
    }

    @Test
    void rejectsMalformed() {
        assertThrows(IllegalArgumentException.class, () -> Platform.parse("linux//v7"));
        assertThrows(IllegalArgumentException.class, () -> Platform.parse("linux/arm/v7/extra"));
        assertThrows(IllegalArgumentException.class, () -> Platform.parse(""));
    }
}
