package dev.jbuild.runtime;

/** How strongly containers are isolated from the host, strongest first (the isolation ladder). */
public enum Isolation {
    /** Run as root: all namespaces and cgroup limits. */
    ROOT,
    /** Rootless: a user namespace mapping a subordinate uid/gid range ({@code /etc/subuid}) via newuidmap/newgidmap. */
    ROOTLESS_SUBUID,
    /** Rootless: a user namespace mapping only the caller's uid to root; chown to other ids fails. */
    ROOTLESS_ONE_UID,
    /** No namespaces, only {@code chroot} into a directory rootfs (where namespaces are blocked). */
    CHROOT
}
