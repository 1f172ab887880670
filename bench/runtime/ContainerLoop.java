import dev.jbuild.runtime.ContainerRuntime;
import dev.jbuild.runtime.ContainerSpec;
import dev.jbuild.runtime.Isolation;
import dev.jbuild.runtime.Rootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Start -> exit of `true` through the Java API (Container.run) from a long-lived JVM, as the builder does for
 * every RUN step. Usage: java -cp CLASSPATH ContainerLoop.java ROOTFS RUNS
 */
public class ContainerLoop {
    public static void main(String[] args) throws Exception {
        Path rootfs = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        ContainerRuntime runtime = ContainerRuntime.withIsolation(Isolation.ROOT);
        Path scratch = Files.createTempDirectory("jbuild-loop-");
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs + 20; i++) {
            Rootfs.Overlay overlay = Rootfs.Overlay.in(scratch.resolve("c" + i), List.of(rootfs));
            long start = System.nanoTime();
            int code = runtime.container(ContainerSpec.builder(overlay, List.of("/bin/true")).build()).run(null, null, null).exitCode();
            long end = System.nanoTime();
            if (code != 0) {
                throw new IllegalStateException("true exited " + code);
            }
            overlay.deleteUpperAndWork();
            Files.delete(scratch.resolve("c" + i));
            if (i >= 20) {
                millis.add((end - start) / 1e6);
            }
        }
        Files.delete(scratch);
        Collections.sort(millis);
        System.out.printf("Container.run(true) from one JVM, %d runs: median %.1f ms, p25 %.1f, p75 %.1f, min %.1f%n",
                runs, millis.get(runs / 2), millis.get(runs / 4), millis.get(3 * runs / 4), millis.getFirst());
    }
}
