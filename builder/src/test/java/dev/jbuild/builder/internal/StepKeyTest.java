package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StepKeyTest {
    private static final Digest PARENT = Digest.sha256("parent".getBytes(StandardCharsets.UTF_8));

    private static TreeMap<String, String> args(String... pairs) {
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void equalInputsGiveEqualKeysWhateverTheArgOrder() {
        TreeMap<String, String> forward = args("A", "1", "B", "2");
        TreeMap<String, String> backward = new TreeMap<>(java.util.Comparator.reverseOrder());
        backward.putAll(forward);
        assertEquals(new StepKey(PARENT, "RUN make", forward, StepKey.NO_CONTENT).digest(),
                new StepKey(PARENT, "RUN make", backward, StepKey.NO_CONTENT).digest());
    }

    @Test
    void everyComponentChangesTheKey() {
        Digest base = new StepKey(PARENT, "RUN make", args("A", "1"), StepKey.NO_CONTENT).digest();
        assertNotEquals(base, new StepKey(Digest.sha256(new byte[] {1}), "RUN make", args("A", "1"), StepKey.NO_CONTENT).digest());
        assertNotEquals(base, new StepKey(PARENT, "RUN make all", args("A", "1"), StepKey.NO_CONTENT).digest());
        assertNotEquals(base, new StepKey(PARENT, "RUN make", args("A", "2"), StepKey.NO_CONTENT).digest());
        assertNotEquals(base, new StepKey(PARENT, "RUN make", args(), StepKey.NO_CONTENT).digest());
        assertNotEquals(base, new StepKey(PARENT, "RUN make", args("A", "1"), Digest.sha256(new byte[] {2})).digest());
    }

    @Test
    void fieldsCannotRunIntoEachOther() {
        assertNotEquals(new StepKey(PARENT, "RUN a", args("AB", ""), StepKey.NO_CONTENT).digest(),
                new StepKey(PARENT, "RUN a", args("A", "B"), StepKey.NO_CONTENT).digest());
    }

    @Test
    void identityIgnoresArgsAndContent() {
        assertEquals(new StepKey(PARENT, "COPY . /", args("A", "1"), StepKey.NO_CONTENT).stepIdentity(),
                new StepKey(PARENT, "COPY . /", args("A", "2"), Digest.sha256(new byte[] {3})).stepIdentity());
    }
}
