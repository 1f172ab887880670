package dev.jbuild.store;

/** The numeric owner a layer records for a path, given when it differs from the owner on disk. */
public record FileOwner(int uid, int gid) {
    public FileOwner {
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("owner ids must not be negative: " + uid + ":" + gid);
        }
    }
}
