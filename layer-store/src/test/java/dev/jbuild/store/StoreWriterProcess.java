package dev.jbuild.store;

import dev.jbuild.oci.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A separate writer process for the concurrency and crash tests: {@code race ROOT ID} writes a
 * shared image and its own, waiting for a start signal so all writers hit the store at once;
 * {@code loop ROOT SEED} ingests images without end until it is killed.
 */
public final class StoreWriterProcess {
    private StoreWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        switch (args[0]) {
            case "race" -> race(root, Integer.parseInt(args[2]));
            case "loop" -> loop(root, Long.parseLong(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /** The layers every racing writer writes: the same bytes, so the same blobs. */
    static List<TestImages.LayerBlob> sharedLayers() {
        List<TestImages.LayerBlob> layers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            layers.add(TestImages.layer(TestImages.files("shared/" + i, bigText(i, 400_000))));
        }
        return layers;
    }

    private static void race(Path root, int id) throws Exception {
        Store store = Store.open(root);
        Files.createFile(root.resolve("ready-" + id));
        while (!Files.exists(root.resolve("go"))) {
            Thread.sleep(1);
        }
        TestImages.Written shared = TestImages.write(store, Platform.current(), sharedLayers());
        TestImages.Written own = TestImages.write(store, Platform.current(),
                List.of(TestImages.layer(TestImages.files("own", "writer " + id))));
        store.tag("shared:latest", shared.manifest());
        store.tag("writer-" + id + ":1", own.manifest());
        store.tag("race:latest", own.manifest());
        store.tag("shared:latest", shared.manifest());
    }

    private static void loop(Path root, long seed) throws IOException {
        Store store = Store.open(root);
        Random random = new Random(seed);
        for (int n = 0; ; n++) {
            String text = bigText(random.nextInt(), 200_000 + random.nextInt(3_000_000));
            TestImages.Written image = TestImages.write(store, Platform.current(),
                    List.of(TestImages.layer(TestImages.files("data", text))));
            store.tag("loop-" + seed + ":" + n, image.manifest());
            System.out.println("ingested " + n);
            System.out.flush();
        }
    }

    private static String bigText(long seed, int length) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.append(Long.toHexString(random.nextLong()));
        }
        return text.toString();
    }
}
