package dev.jbuild.dockerfile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One build stage: its FROM and the instructions up to the next FROM.
 *
 * @param index        0-based position among the stages (what {@code COPY --from=0} refers to)
 * @param from         the stage's FROM
 * @param instructions the instructions after FROM
 */
public record Stage(int index, Instruction.From from, List<Instruction> instructions) {
    public Stage {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
        Objects.requireNonNull(from, "from");
        instructions = List.copyOf(instructions);
    }

    /** The lowercased {@code AS} name, when the stage has one. */
    public Optional<String> name() {
        return from.stageName();
    }
}
