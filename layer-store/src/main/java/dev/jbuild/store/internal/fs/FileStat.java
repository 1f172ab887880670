package dev.jbuild.store.internal.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The lstat fields a layer needs (type and permission bits, ids, size, mtime, inode identity, device numbers). */
public record FileStat(int mode, int uid, int gid, long size, long mtimeSeconds, int mtimeNanos, long device,
        long inode, int links, long rdev) {
    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,dev,ino,nlink,rdev";

    /** The stat of {@code path} itself, never of a symlink's target. */
    public static FileStat of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        long nanos = mtime.to(TimeUnit.NANOSECONDS);
        return new FileStat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
                (Long) a.get("size"), Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L),
                (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"), (Long) a.get("rdev"));
    }

    /** The file type bits ({@code S_IFMT}). */
    public int type() {
        return mode & Posix.S_IFMT;
    }

    public boolean isDirectory() {
        return type() == Posix.S_IFDIR;
    }

    public boolean isSymlink() {
        return type() == Posix.S_IFLNK;
    }

    public boolean isRegular() {
        return type() == Posix.S_IFREG;
    }

    /** True for the overlayfs whiteout: a char device 0/0. */
    public boolean isWhiteout() {
        return type() == Posix.S_IFCHR && rdev == 0;
    }
}
