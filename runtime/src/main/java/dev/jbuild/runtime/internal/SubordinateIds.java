package dev.jbuild.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A user's subordinate id range from {@code /etc/subuid} or {@code /etc/subgid}. */
public record SubordinateIds(long start, long count) {
    public SubordinateIds {
        if (start < 0 || count <= 0) {
            throw new IllegalArgumentException("invalid subordinate id range " + start + ":" + count);
        }
    }

    /** The first range in {@code file} for the user, matched by name or uid (as shadow-utils does). */
    public static Optional<SubordinateIds> find(Path file, String userName, int uid) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String line : lines) {
            String[] fields = line.trim().split(":");
            if (fields.length != 3 || !(fields[0].equals(userName) || fields[0].equals(Integer.toString(uid)))) {
                continue;
            }
            try {
                return Optional.of(new SubordinateIds(Long.parseLong(fields[1]), Long.parseLong(fields[2])));
            } catch (IllegalArgumentException e) {
                continue;
            }
        }
        return Optional.empty();
    }

    /** The id map "0 outside 1" plus this range from 1 on: root inside is the caller, other ids come from the range. */
    public String mapFor(int outsideId) {
        return "0 " + outsideId + " 1 1 " + start + " " + count;
    }

    @Override
    public String toString() {
        return start + ":" + count;
    }
}
