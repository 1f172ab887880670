package dev.jbuild.dockerfile;

import dev.jbuild.dockerfile.internal.GoText;
import java.util.Objects;

/**
 * A here-document attached to RUN, COPY or ADD: {@code <<EOF} (or {@code <<-EOF}, {@code 3<<"EOF"}).
 *
 * @param name           the terminator word, quotes removed
 * @param content        the body exactly as written, line endings included, terminator excluded
 *                       (a byte that is not UTF-8 is held as U+DC80–U+DCFF; see {@link #contentBytes()})
 * @param expand         false when any part of the name was quoted: the body is then taken literally
 * @param chomp          {@code <<-}: leading tabs are removed from each body line when it is used
 * @param fileDescriptor the digits before {@code <<} (0 when none)
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp, long fileDescriptor) {
    public Heredoc {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        if (fileDescriptor < 0) {
            throw new IllegalArgumentException("fileDescriptor must not be negative: " + fileDescriptor);
        }
    }

    /** The body's bytes as they were in the file (bytes that are not UTF-8 included). */
    public byte[] contentBytes() {
        return GoText.encodeUtf8(content);
    }

    /** The body as the instruction uses it: with {@code <<-}, every line's leading tabs removed. */
    public String effectiveContent() {
        return chomp ? content.replaceAll("(?md)^\t+", "") : content;
    }
}
