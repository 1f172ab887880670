package dev.jbuild.builder.internal;

/** Parses COPY/ADD {@code --chmod} values. */
public final class FileModes {
    private FileModes() {
    }

    /** The permission bits of an octal {@code --chmod} such as {@code 755} or {@code 0640}. */
    public static int parseChmod(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw new IllegalArgumentException("invalid --chmod \"" + text + "\": expected an octal mode such as 755");
        }
        int mode = Integer.parseInt(text, 8);
        if (mode > 07777) {
            throw new IllegalArgumentException("invalid --chmod \"" + text + "\": more than 12 permission bits");
        }
        return mode;
    }
}
