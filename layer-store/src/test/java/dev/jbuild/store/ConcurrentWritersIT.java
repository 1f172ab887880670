package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Reference;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate processes sharing one store: racing writers all succeed, and killed writers leave nothing broken. */
class ConcurrentWritersIT {
    private static final int WRITERS = 8;

    @TempDir
    Path root;

    @Test
    void eightProcessesWritingTheSameBlobsAndTagsAllSucceed() throws Exception {
        Store.open(root);
        List<Process> writers = new ArrayList<>();
        for (int id = 0; id < WRITERS; id++) {
            writers.add(new ProcessBuilder(Processes.java(StoreWriterProcess.class, "race", root.toString(),
                    String.valueOf(id))).redirectErrorStream(true).start());
        }
        for (int id = 0; id < WRITERS; id++) {
            Path ready = root.resolve("ready-" + id);
            while (!Files.exists(ready)) {
                Process writer = writers.get(id);
                assertTrue(writer.isAlive(), () -> "writer died before starting: " + outputOf(writer));
                Thread.sleep(10);
            }
        }
        Files.createFile(root.resolve("go"));
        for (int id = 0; id < WRITERS; id++) {
            Process writer = writers.get(id);
            String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(writer.waitFor(3, TimeUnit.MINUTES), "writer " + id + " did not finish");
            assertEquals(0, writer.exitValue(), "writer " + id + " failed:\n" + output);
        }

        Store store = Store.open(root);
        Set<String> tags = new HashSet<>();
        store.tags().keySet().forEach(reference -> tags.add(reference.familiar()));
        Set<String> expected = new HashSet<>(Set.of("shared:latest", "race:latest"));
        for (int id = 0; id < WRITERS; id++) {
            expected.add("writer-" + id + ":1");
        }
        assertEquals(expected, tags);
        assertEquals(WRITERS + 2, OciLayout.open(root).roots().size(), "each tag is one index.json entry");

        Descriptor race = store.resolve("race:latest");
        assertTrue(store.tags().entrySet().stream().anyMatch(entry -> entry.getKey().familiar().startsWith("writer-")
                && entry.getValue().digest().equals(race.digest())), "race:latest names one writer's image");
        var shared = store.image("shared:latest");
        assertEquals(StoreWriterProcess.sharedLayers().size(), shared.layers().size());
        for (var layer : shared.layers()) {
            try (InputStream in = layer.compressed()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        FsckReport report = store.fsck();
        assertTrue(report.clean(), report.damage().toString());
        assertEquals(List.of(), listIngest());
    }

    @Test
    void killingWritersAtRandomPointsOfTwentyIngestsLeavesAStoreFsckPasses() throws Exception {
        Store store = Store.open(root);
        Random random = new Random(20261121L);
        for (int round = 0; round < 20; round++) {
            Process writer = new ProcessBuilder(Processes.java(StoreWriterProcess.class, "loop", root.toString(),
                    String.valueOf(round))).redirectErrorStream(true).start();
            int wanted = random.nextInt(3);
            var lines = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                    StandardCharsets.UTF_8));
            int seen = 0;
            while (seen < wanted) {
                String line = lines.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("ingested ")) {
                    seen++;
                }
            }
            Thread.sleep(random.nextInt(400));
            writer.destroyForcibly();
            assertTrue(writer.waitFor(1, TimeUnit.MINUTES));

            FsckReport report = store.fsck();
            assertTrue(report.clean(), "after kill " + round + ": " + report.damage());
            for (Reference tag : store.tags().keySet()) {
                var image = store.image(tag.toString());
                for (var layer : image.layers()) {
                    assertTrue(store.contains(layer.descriptor()), tag + " is tagged but misses " + layer.digest());
                }
            }
        }
        store.prune(Duration.ZERO);
        assertEquals(List.of(), listIngest());
        assertTrue(store.fsck().clean());
    }

    private static String outputOf(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private List<Path> listIngest() throws IOException {
        Path ingest = root.resolve("ingest");
        if (!Files.isDirectory(ingest)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(ingest)) {
            return files.toList();
        }
    }
}
