package dev.jbuild.store;

import java.util.List;
import java.util.Objects;

/** What {@code fsck} checked and every piece of damage it found; damaged blobs have been taken out of service. */
public record FsckReport(long blobsChecked, long bytesChecked, long layersChecked, List<Damage> damage) {
    public FsckReport {
        damage = List.copyOf(damage);
    }

    /** True when nothing is damaged. */
    public boolean clean() {
        return damage.isEmpty();
    }

    /** One problem: what kind, which blob/tag/layer, and the details a person needs. */
    public record Damage(Kind kind, String subject, String detail) {
        public Damage {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(subject, "subject");
            detail = detail == null ? "" : detail;
        }

        @Override
        public String toString() {
            return kind.label + " " + subject + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    /** The kinds of damage fsck recognises. */
    public enum Kind {
        /** A blob whose bytes do not hash to its name. */
        CORRUPT_BLOB("corrupt blob"),
        /** A blob shorter than the descriptor that references it. */
        TRUNCATED_BLOB("truncated blob"),
        /** A blob a tag or cache record needs that is not in the store. */
        MISSING_BLOB("missing blob"),
        /** A manifest, index or config that cannot be read or parsed. */
        UNREADABLE_DOCUMENT("unreadable document"),
        /** An unpacked layer directory without a valid completion marker. */
        BAD_LAYER("bad layer"),
        /** index.json itself cannot be read. */
        BAD_INDEX("bad index");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }
}
