package dev.jbuild.store;

/** What {@code prune} removed: unreachable blobs (and their bytes), unpacked layers, and leftovers of crashed writers and builds. */
public record PruneReport(long blobsRemoved, long bytesFreed, long layersRemoved, long leftoversRemoved) {
}
