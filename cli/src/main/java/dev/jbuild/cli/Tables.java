package dev.jbuild.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as docker's listings do: columns padded to their widest cell plus three spaces. */
final class Tables {
    private Tables() {
    }

    /** Prints {@code rows}, the first being the header; the last column is not padded. */
    static void print(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] + 3 - row[i].length()));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
