package dev.jbuild.bench.parser;

import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.DockerfileParser;
import dev.jbuild.dockerfile.SyntaxTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse time of a typical 40-line multi-stage Dockerfile and of a 1,000-line one (the typical
 * file 25 times, stage names made unique), for the line-parser view and for the typed view.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParserBenchmark {
    private String typical;
    private String large;

    @Setup
    public void load() throws IOException {
        try (InputStream in = ParserBenchmark.class.getResourceAsStream("/typical.Dockerfile")) {
            typical = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String withoutSyntaxLine = typical.substring(typical.indexOf('\n') + 1);
        StringBuilder text = new StringBuilder(typical);
        for (int copy = 1; copy < 25; copy++) {
            text.append(withoutSyntaxLine.replace(" AS deps", " AS deps" + copy)
                    .replace("--from=deps ", "--from=deps" + copy + " ")
                    .replace("FROM deps AS build", "FROM deps" + copy + " AS build" + copy)
                    .replace("--from=build ", "--from=build" + copy + " ")
                    .replace(" AS runtime", " AS runtime" + copy))
                    .append("# copy ").append(copy).append('\n');
        }
        large = text.toString();
        if (large.lines().count() != 1000) {
            throw new IllegalStateException("expected 1000 lines, got " + large.lines().count());
        }
    }

    @Benchmark
    public SyntaxTree typicalLineParser() {
        return DockerfileParser.parseSyntax("Dockerfile", typical);
    }

    @Benchmark
    public Dockerfile typicalTyped() {
        return DockerfileParser.parse("Dockerfile", typical);
    }

    @Benchmark
    public SyntaxTree largeLineParser() {
        return DockerfileParser.parseSyntax("Dockerfile", large);
    }

    @Benchmark
    public Dockerfile largeTyped() {
        return DockerfileParser.parse("Dockerfile", large);
    }
}
