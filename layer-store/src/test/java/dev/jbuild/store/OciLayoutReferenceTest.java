package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OciLayoutReferenceTest {
    @Test
    void splitsAtTheFirstColonAfterThePrefixAsSkopeoDoes() {
        assertEquals(new OciLayoutReference(Path.of("/var/lib/jbuild"), "docker.io/library/busybox:latest"),
                OciLayoutReference.parse("oci:/var/lib/jbuild:docker.io/library/busybox:latest"));
        assertEquals(new OciLayoutReference(Path.of("out"), "localhost:5000/app:1"),
                OciLayoutReference.parse("oci:out:localhost:5000/app:1"));
        assertEquals(new OciLayoutReference(Path.of("out"), ""), OciLayoutReference.parse("oci:out"));
        assertEquals("oci:out:v1", OciLayoutReference.parse("oci:out:v1").toString());
    }

    @Test
    void rejectsWhatIsNotAnOciLayoutReference() {
        assertTrue(OciLayoutReference.isOciLayout("oci:x"));
        assertFalse(OciLayoutReference.isOciLayout("docker.io/library/busybox"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> OciLayoutReference.parse("oci::tag"));
        assertTrue(empty.getMessage().contains("the directory is empty"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OciLayoutReference.parse("busybox"));
    }
}
