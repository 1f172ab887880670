/*
 * jbuild-init: the native part of jbuild's container runtime.
 *
 * A JVM cannot move itself into new user or mount namespaces (it is multithreaded), so Java
 * starts this small static program, writes a container spec to its stdin and then passes the
 * rest of stdin through to the container. The program runs as three processes:
 *
 *   monitor  (this process, in the caller's namespaces) clones the container init, writes its
 *            uid/gid maps, places it in its cgroups, releases it, forwards signals to it, and
 *            finally writes the outcome to the status file named in the spec.
 *   init     (pid 1 in the new pid namespace) mounts the rootfs, /proc, /dev, /sys and the
 *            requested mounts, pivots into the rootfs, then forks the command, reaps zombies
 *            and forwards signals until the command exits.
 *   command  drops to the requested user, limits and capabilities, and execs.
 *
 * Spec format (version 1): the line "JBI1 <length>\n" followed by <length> bytes of
 * NUL-terminated strings. Each record is a key followed by a fixed number of values (see
 * parse_spec). Nothing after the spec is read by this program.
 *
 * Failures are reported through a CLOEXEC pipe to the monitor as lines "E <code> <message>"
 * (notes as "N 0 <text>", mount points created in the rootfs as "M 0 <path>"); the monitor writes
 * "note TEXT" and "created PATH" lines and then one "exit N", "signal N" or "error CODE MESSAGE" line
 * to the status file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ITEMS 4096
#define REPORT_MAX 65536
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

enum { EXIT_SETUP = 125, EXIT_NOT_EXECUTABLE = 126, EXIT_NOT_FOUND = 127 };

struct bind_mount { const char *source, *target; int read_only; };
struct tmpfs_mount { const char *target, *options; };
struct limit { int resource; rlim_t soft, hard; };

struct spec {
    const char *status_path;
    const char *flags;          /* letters: U user ns, M mount, P pid, T uts, I ipc, N net, C cgroup, R chroot only, G no setgroups, A all capabilities */
    const char *uid_map, *gid_map;
    int use_newidmap;
    const char *cgroups[16]; int ncgroups;
    const char *lowers[MAX_ITEMS]; int nlowers;
    const char *upper, *work, *target;
    const char *rootdir;
    struct bind_mount binds[128]; int nbinds;
    struct tmpfs_mount tmpfses[64]; int ntmpfs;
    const char *hostname, *cwd;
    uid_t uid; gid_t gid;
    gid_t groups[64]; int ngroups;
    struct limit limits[16]; int nlimits;
    char *env[MAX_ITEMS + 1]; int nenv;
    char *args[MAX_ITEMS + 1]; int nargs;
};

static struct spec S;
static int report_fd = -1;
static pid_t forward_to;
static pid_t monitor_child;

static int has_flag(char letter) { return S.flags && strchr(S.flags, letter) != NULL; }

/* Writes one report line to the monitor; usable from every process of the container. */
static void report(char kind, int code, const char *fmt, ...) {
    char line[4096];
    int n = snprintf(line, sizeof line, "%c %d ", kind, code);
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2) n = sizeof line - 2;
    for (int i = 3; i < n; i++) if (line[i] == '\n') line[i] = ' ';
    line[n++] = '\n';
    if (report_fd >= 0) { ssize_t ignored = write(report_fd, line, n); (void)ignored; }
    else { ssize_t ignored = write(2, line, n); (void)ignored; }
}

static void write_status(const char *text);

static void __attribute__((noreturn)) fail(const char *fmt, ...) {
    char message[3072];
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (monitor_child > 0) {
        /* The monitor failed while preparing the container: nothing else will report it. */
        char line[3328];
        snprintf(line, sizeof line, "error %d %s%s%s\n", EXIT_SETUP, message, saved ? ": " : "", saved ? strerror(saved) : "");
        kill(monitor_child, SIGKILL);
        write_status(line);
        _exit(EXIT_SETUP);
    }
    if (saved) report('E', EXIT_SETUP, "%s: %s", message, strerror(saved));
    else report('E', EXIT_SETUP, "%s", message);
    _exit(EXIT_SETUP);
}

/* ---------- spec ---------- */

static ssize_t read_full(int fd, char *buf, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = read(fd, buf + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? -1 : (ssize_t)done;
        done += n;
    }
    return done;
}

static int resource_named(const char *name) {
    static const struct { const char *name; int resource; } table[] = {
        {"NOFILE", RLIMIT_NOFILE}, {"NPROC", RLIMIT_NPROC}, {"CORE", RLIMIT_CORE},
        {"STACK", RLIMIT_STACK}, {"FSIZE", RLIMIT_FSIZE}, {"MEMLOCK", RLIMIT_MEMLOCK},
        {"AS", RLIMIT_AS}, {"CPU", RLIMIT_CPU}, {"DATA", RLIMIT_DATA}, {"NICE", RLIMIT_NICE},
        {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"RTPRIO", RLIMIT_RTPRIO}, {"SIGPENDING", RLIMIT_SIGPENDING},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0) return table[i].resource;
    return -1;
}

static rlim_t parse_rlim(const char *text) {
    return strcmp(text, "unlimited") == 0 ? RLIM_INFINITY : (rlim_t)strtoull(text, NULL, 10);
}

static void parse_spec(void) {
    char header[32];
    size_t h = 0;
    for (;;) {
        if (h == sizeof header - 1) fail("spec header too long");
        ssize_t n = read(0, header + h, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n != 1) { errno = 0; fail("spec missing on stdin (expected \"JBI1 <length>\")"); }
        if (header[h] == '\n') break;
        h++;
    }
    header[h] = 0;
    if (strncmp(header, "JBI1 ", 5) != 0) { errno = 0; fail("unsupported spec version \"%s\"", header); }
    size_t len = strtoul(header + 5, NULL, 10);
    char *buf = malloc(len + 1);
    if (!buf || read_full(0, buf, len) != (ssize_t)len) { errno = 0; fail("spec truncated"); }
    buf[len] = 0;
    char *fields[8];
    char *p = buf, *end = buf + len;
#define NEXT() (p < end ? (fields[0] = p, p += strlen(p) + 1, fields[0]) : (errno = 0, fail("spec record incomplete"), (char *)0))
    while (p < end) {
        char *key = NEXT();
#define IS(k) (strcmp(key, k) == 0)
#define CHECK(count, max) do { if ((count) >= (max)) { errno = 0; fail("too many %s entries in spec", key); } } while (0)
        if (IS("status")) S.status_path = NEXT();
        else if (IS("flags")) S.flags = NEXT();
        else if (IS("uidmap")) S.uid_map = NEXT();
        else if (IS("gidmap")) S.gid_map = NEXT();
        else if (IS("newidmap")) S.use_newidmap = atoi(NEXT());
        else if (IS("cgroup")) { CHECK(S.ncgroups, 16); S.cgroups[S.ncgroups++] = NEXT(); }
        else if (IS("lower")) { CHECK(S.nlowers, MAX_ITEMS); S.lowers[S.nlowers++] = NEXT(); }
        else if (IS("overlay")) { S.upper = NEXT(); S.work = NEXT(); S.target = NEXT(); }
        else if (IS("rootdir")) S.rootdir = NEXT();
        else if (IS("bind")) {
            CHECK(S.nbinds, 128);
            struct bind_mount *b = &S.binds[S.nbinds++];
            b->source = NEXT(); b->target = NEXT(); b->read_only = strcmp(NEXT(), "ro") == 0;
        } else if (IS("tmpfs")) {
            CHECK(S.ntmpfs, 64);
            struct tmpfs_mount *t = &S.tmpfses[S.ntmpfs++];
            t->target = NEXT(); t->options = NEXT();
        } else if (IS("hostname")) S.hostname = NEXT();
        else if (IS("cwd")) S.cwd = NEXT();
        else if (IS("uid")) S.uid = (uid_t)strtoul(NEXT(), NULL, 10);
        else if (IS("gid")) S.gid = (gid_t)strtoul(NEXT(), NULL, 10);
        else if (IS("group")) { CHECK(S.ngroups, 64); S.groups[S.ngroups++] = (gid_t)strtoul(NEXT(), NULL, 10); }
        else if (IS("rlimit")) {
            CHECK(S.nlimits, 16);
            const char *name = NEXT();
            struct limit *l = &S.limits[S.nlimits++];
            l->resource = resource_named(name);
            if (l->resource < 0) { errno = 0; fail("unknown rlimit %s", name); }
            l->soft = parse_rlim(NEXT()); l->hard = parse_rlim(NEXT());
        } else if (IS("env")) { CHECK(S.nenv, MAX_ITEMS); S.env[S.nenv++] = NEXT(); }
        else if (IS("arg")) { CHECK(S.nargs, MAX_ITEMS); S.args[S.nargs++] = NEXT(); }
        else { errno = 0; fail("unknown spec key \"%s\"", key); }
    }
    if (S.nargs == 0) { errno = 0; fail("no command given"); }
    if (!S.status_path) { errno = 0; fail("no status file given"); }
    if (!S.target && !S.rootdir) { errno = 0; fail("no rootfs given"); }
}

/* ---------- monitor side ---------- */

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("open %s", path);
    ssize_t n = write(fd, text, strlen(text));
    if (n != (ssize_t)strlen(text)) fail("write \"%s\" to %s", text, path);
    close(fd);
}

static int run_tool(char *const argv[]) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, 1);
        execv(argv[0], argv);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* newuidmap/newgidmap take "inside outside count" triples as separate arguments. */
static void run_idmap_tool(const char *tool, pid_t pid, const char *map) {
    char *argv[64];
    char pidtext[16];
    char *copy = strdup(map);
    int argc = 0;
    snprintf(pidtext, sizeof pidtext, "%d", pid);
    argv[argc++] = (char *)tool;
    argv[argc++] = pidtext;
    for (char *tok = strtok(copy, " \n"); tok && argc < 62; tok = strtok(NULL, " \n")) argv[argc++] = tok;
    argv[argc] = NULL;
    int rc = run_tool(argv);
    if (rc != 0) { errno = 0; fail("%s %d %s failed (exit %d): check /etc/subuid and /etc/subgid", tool, pid, map, rc); }
    free(copy);
}

static void write_id_maps(pid_t pid) {
    char path[64];
    if (S.use_newidmap) {
        run_idmap_tool("newuidmap", pid, S.uid_map);
        run_idmap_tool("newgidmap", pid, S.gid_map);
        return;
    }
    snprintf(path, sizeof path, "/proc/%d/setgroups", pid);
    write_file(path, "deny");
    snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
    write_file(path, S.uid_map);
    snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
    write_file(path, S.gid_map);
}

static void join_cgroups(pid_t pid) {
    char path[PATH_MAX], text[16];
    snprintf(text, sizeof text, "%d", pid);
    for (int i = 0; i < S.ncgroups; i++) {
        snprintf(path, sizeof path, "%s/cgroup.procs", S.cgroups[i]);
        write_file(path, text);
    }
}

static void forward_signal(int sig) {
    if (forward_to > 0) kill(forward_to, sig);
}

static void write_status(const char *text) {
    int fd = open(S.status_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    ssize_t ignored = write(fd, text, strlen(text));
    (void)ignored;
    close(fd);
}

/* ---------- container side: paths inside the rootfs ---------- */

/* mount(2) on "/proc/self/fd/N" mounts on exactly the directory that fd N refers to. */
static const char *fd_path(int fd) {
    static char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return path;
}

static int open_in_root(int rootfd, const char *path, int flags) {
    struct open_how how = { .flags = (unsigned long long)(flags | O_CLOEXEC),
                            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    while (*path == '/') path++;
    if (*path == 0) path = ".";
    return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

enum { NODE_DIR, NODE_FILE };

/* Opens (O_PATH) a mount point inside the rootfs, creating it and its parents if missing. Symlinks
 * are resolved as if the rootfs were "/", so an image cannot point a mount point at the host; a
 * dangling symlink on the way is followed and its target created inside the rootfs. */
static int mount_point_at_depth(int rootfd, const char *path, int kind, int depth) {
    int fd = open_in_root(rootfd, path, O_PATH);
    if (fd >= 0 || errno != ENOENT) return fd;
    if (depth > 40) { errno = ELOOP; return -1; }
    char partial[PATH_MAX];
    size_t len = strlen(path);
    if (len >= sizeof partial) { errno = ENAMETOOLONG; return -1; }
    for (size_t i = 1; i <= len; i++) {
        if (i < len && path[i] != '/') continue;
        memcpy(partial, path, i);
        partial[i] = 0;
        int existing = open_in_root(rootfd, partial, O_PATH);
        if (existing >= 0) { close(existing); continue; }
        if (errno != ENOENT) return -1;
        char *slash = strrchr(partial, '/');
        const char *name = slash ? slash + 1 : partial;
        if (slash) *slash = 0;
        int parent = open_in_root(rootfd, slash ? (partial[0] ? partial : "/") : "/", O_PATH | O_DIRECTORY);
        if (parent < 0) return -1;
        int rc;
        if (i == len && kind == NODE_FILE) {
            rc = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (rc >= 0) close(rc);
        } else {
            rc = mkdirat(parent, name, 0755);
        }
        if (rc < 0 && errno == EEXIST) {
            char link[PATH_MAX], next[PATH_MAX];
            ssize_t n = readlinkat(parent, name, link, sizeof link - 1);
            if (n > 0) {
                link[n] = 0;
                close(parent);
                int length = link[0] == '/' ? snprintf(next, sizeof next, "%s%s", link, path + i)
                                            : snprintf(next, sizeof next, "%s/%s%s", slash ? partial : "", link, path + i);
                if (length < 0 || (size_t)length >= sizeof next) { errno = ENAMETOOLONG; return -1; }
                return mount_point_at_depth(rootfd, next, kind, depth + 1);
            }
        }
        close(parent);
        if (rc < 0 && errno != EEXIST) return -1;
        /* Java removes mount points it still finds empty afterwards, so they do not end up in the layer. */
        if (rc >= 0) report('M', 0, "%.*s", (int)i, path);
    }
    return open_in_root(rootfd, path, O_PATH);
}

static int mount_point(int rootfd, const char *path, int kind) {
    return mount_point_at_depth(rootfd, path, kind, 0);
}

static void mount_at(int rootfd, const char *path, int kind, const char *source, const char *fstype,
                     unsigned long flags, const char *data) {
    int fd = mount_point(rootfd, path, kind);
    if (fd < 0) fail("create mount point %s", path);
    if (mount(source, fd_path(fd), fstype, flags, data) < 0)
        fail("mount %s on %s", fstype ? fstype : source, path);
    close(fd);
}

static void make_read_only(int rootfd, const char *path) {
    int fd = open_in_root(rootfd, path, O_PATH);
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
    if (fd < 0 || mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
        fail("make %s read-only", path);
    close(fd);
}

/* ---------- container side: rootfs ---------- */

static int overlay_with_mount_api(void) {
    int fs = fsopen("overlay", FSOPEN_CLOEXEC);
    if (fs < 0) return -1;
    for (int i = 0; i < S.nlowers; i++) {
        if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", S.lowers[i], 0) == 0) continue;
        /* Before Linux 6.8 the first "lowerdir+" is rejected as an unknown parameter. */
        if (i == 0 && errno == EINVAL) { close(fs); errno = EOPNOTSUPP; return -1; }
        fail("overlay lower directory %s", S.lowers[i]);
    }
    if (fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", S.upper, 0) < 0
        || fsconfig(fs, FSCONFIG_SET_STRING, "workdir", S.work, 0) < 0
        || fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", NULL, 0) < 0
        || fsconfig(fs, FSCONFIG_SET_STRING, "index", "off", 0) < 0
        || fsconfig(fs, FSCONFIG_SET_STRING, "metacopy", "off", 0) < 0
        || fsconfig(fs, FSCONFIG_SET_STRING, "redirect_dir", "nofollow", 0) < 0
        || fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
        int saved = errno;
        char log[512];
        ssize_t n = read(fs, log, sizeof log - 1);
        log[n > 0 ? n : 0] = 0;
        errno = saved;
        fail("mount overlay on %s%s%s", S.target, n > 0 ? " (" : "", n > 0 ? log : "");
    }
    int mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV);
    if (mnt < 0) fail("mount overlay on %s", S.target);
    if (move_mount(mnt, "", AT_FDCWD, S.target, MOVE_MOUNT_F_EMPTY_PATH) < 0) fail("attach overlay at %s", S.target);
    close(mnt);
    close(fs);
    return 0;
}

/* Kernels before 6.8 lack "lowerdir+": the whole list must fit in one page of mount data, so the
 * paths are made relative to their longest common parent directory. */
static void overlay_with_mount_data(void) {
    size_t common = strlen(S.lowers[0]);
    const char *all[MAX_ITEMS + 2];
    int n = 0;
    for (int i = 0; i < S.nlowers; i++) all[n++] = S.lowers[i];
    all[n++] = S.upper;
    all[n++] = S.work;
    for (int i = 1; i < n; i++) {
        size_t j = 0;
        while (j < common && all[i][j] == all[0][j]) j++;
        common = j;
    }
    while (common > 0 && all[0][common - 1] != '/') common--;
    char base[PATH_MAX];
    snprintf(base, sizeof base, "%.*s", (int)common, all[0]);
    if (common > 0 && chdir(base) < 0) fail("chdir %s", base);
    char data[4096];
    size_t used = (size_t)snprintf(data, sizeof data, "lowerdir=");
    for (int i = 0; i < S.nlowers; i++) {
        used += (size_t)snprintf(data + (used < sizeof data ? used : sizeof data - 1),
                                 used < sizeof data ? sizeof data - used : 1, "%s%s", i ? ":" : "", S.lowers[i] + common);
    }
    if (used < sizeof data)
        used += (size_t)snprintf(data + used, sizeof data - used,
                                 ",upperdir=%s,workdir=%s,userxattr,index=off,metacopy=off,redirect_dir=nofollow",
                                 S.upper + common, S.work + common);
    if (used >= sizeof data) {
        errno = 0;
        fail("%d lower layers do not fit in the overlay mount options of this kernel (needs Linux 6.8+ for more)", S.nlowers);
    }
    if (mount("overlay", S.target, "overlay", MS_NODEV, data) < 0) fail("mount overlay on %s", S.target);
}

static void mount_rootfs(void) {
    if (S.rootdir) {
        if (mount(S.rootdir, S.rootdir, NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind rootfs %s", S.rootdir);
        S.target = S.rootdir;
        return;
    }
    if (S.nlowers == 0) { errno = 0; fail("overlay rootfs needs at least one lower directory"); }
    if (overlay_with_mount_api() < 0) {
        if (errno != ENOSYS && errno != EOPNOTSUPP && errno != EINVAL) fail("mount overlay on %s", S.target);
        overlay_with_mount_data();
    }
}

static void mount_dev(int rootfd) {
    static const char *nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
    mount_at(rootfd, "/dev", NODE_DIR, "tmpfs", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=65536k");
    int dev = open_in_root(rootfd, "/dev", O_PATH | O_DIRECTORY);
    if (dev < 0) fail("open /dev");
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        char host[32], inside[32];
        snprintf(host, sizeof host, "/dev/%s", nodes[i]);
        snprintf(inside, sizeof inside, "/dev/%s", nodes[i]);
        int fd = mount_point(rootfd, inside, NODE_FILE);
        if (fd < 0) fail("create %s", inside);
        if (mount(host, fd_path(fd), NULL, MS_BIND, NULL) < 0) fail("bind %s", host);
        close(fd);
    }
    mount_at(rootfd, "/dev/pts", NODE_DIR, "devpts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
    mount_at(rootfd, "/dev/shm", NODE_DIR, "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
    static const char *links[][2] = {
        {"pts/ptmx", "ptmx"}, {"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
        {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"}, {"/proc/kcore", "core"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (symlinkat(links[i][0], dev, links[i][1]) < 0) fail("symlink /dev/%s", links[i][1]);
    close(dev);
}

static void mount_proc(int rootfd) {
    int fd = mount_point(rootfd, "/proc", NODE_DIR);
    if (fd < 0) fail("create mount point /proc");
    if (mount("proc", fd_path(fd), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
        /* In unprivileged containers the kernel refuses a fresh procfs ("mount too revealing"). */
        if (errno != EPERM && errno != EACCES) fail("mount proc");
        if (mount("/proc", fd_path(fd), NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind /proc");
        report('N', 0, "a fresh /proc was refused; bound the caller's /proc instead");
    }
    close(fd);
}

static void mount_sys(int rootfd) {
    int fd = mount_point(rootfd, "/sys", NODE_DIR);
    if (fd < 0) fail("create mount point /sys");
    if (!has_flag('N') || mount("sysfs", fd_path(fd), "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL) < 0) {
        if (mount("/sys", fd_path(fd), NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind /sys");
        close(fd);
        make_read_only(rootfd, "/sys");
        return;
    }
    close(fd);
}

static void mount_requested(int rootfd) {
    for (int i = 0; i < S.nbinds; i++) {
        struct bind_mount *b = &S.binds[i];
        struct stat st;
        if (stat(b->source, &st) < 0) fail("bind mount source %s", b->source);
        int fd = mount_point(rootfd, b->target, S_ISDIR(st.st_mode) ? NODE_DIR : NODE_FILE);
        if (fd < 0) fail("create mount point %s", b->target);
        if (mount(b->source, fd_path(fd), NULL, MS_BIND | MS_REC, NULL) < 0)
            fail("bind mount %s on %s", b->source, b->target);
        close(fd);
        if (b->read_only) make_read_only(rootfd, b->target);
    }
    for (int i = 0; i < S.ntmpfs; i++)
        mount_at(rootfd, S.tmpfses[i].target, NODE_DIR, "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV, S.tmpfses[i].options);
}

static void bring_up_loopback(void) {
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) fail("socket for lo");
    struct ifreq request;
    memset(&request, 0, sizeof request);
    strcpy(request.ifr_name, "lo");
    if (ioctl(sock, SIOCGIFFLAGS, &request) < 0) fail("read flags of lo");
    request.ifr_flags |= IFF_UP;
    if (ioctl(sock, SIOCSIFFLAGS, &request) < 0) fail("bring up lo");
    close(sock);
}

static void enter_rootfs(void) {
    if (has_flag('R')) {
        if (chroot(S.rootdir) < 0) fail("chroot %s", S.rootdir);
        if (chdir("/") < 0) fail("chdir /");
        return;
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) fail("make / private");
    mount_rootfs();
    int rootfd = open(S.target, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) fail("open rootfs %s", S.target);
    if (has_flag('P')) mount_proc(rootfd);
    mount_dev(rootfd);
    mount_sys(rootfd);
    mount_requested(rootfd);
    if (fchdir(rootfd) < 0) fail("chdir rootfs");
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root");
    if (umount2(".", MNT_DETACH) < 0) fail("detach old root");
    if (chdir("/") < 0) fail("chdir /");
    close(rootfd);
}

/* ---------- command ---------- */

static const char *env_value(const char *name) {
    size_t len = strlen(name);
    for (int i = 0; i < S.nenv; i++)
        if (strncmp(S.env[i], name, len) == 0 && S.env[i][len] == '=') return S.env[i] + len + 1;
    return NULL;
}

static void mkdir_parents(const char *path) {
    char partial[PATH_MAX];
    size_t len = strlen(path);
    if (len >= sizeof partial) return;
    for (size_t i = 1; i <= len; i++) {
        if (i < len && path[i] != '/') continue;
        memcpy(partial, path, i);
        partial[i] = 0;
        mkdir(partial, 0755);
    }
}

/* Docker's default capability set: a hostile build step may not mount, load modules or trace. */
static void drop_capabilities(void) {
    static const int keep[] = {0 /*CHOWN*/, 1 /*DAC_OVERRIDE*/, 3 /*FOWNER*/, 4 /*FSETID*/, 5 /*KILL*/,
                               6 /*SETGID*/, 7 /*SETUID*/, 8 /*SETPCAP*/, 10 /*NET_BIND_SERVICE*/,
                               13 /*NET_RAW*/, 18 /*SYS_CHROOT*/, 27 /*MKNOD*/, 29 /*AUDIT_WRITE*/, 31 /*SETFCAP*/};
    for (int cap = 0; cap <= 63; cap++) {
        int kept = 0;
        for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) kept |= keep[i] == cap;
        if (!kept && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) fail("drop capability %d", cap);
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
}

static void __attribute__((noreturn)) exec_command(void) {
    const char *file = S.args[0];
    S.args[S.nargs] = NULL;
    S.env[S.nenv] = NULL;
    if (strchr(file, '/')) {
        execve(file, S.args, S.env);
        int saved = errno;
        int code = saved == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
        if (saved == ENOENT) report('E', code, "exec: \"%s\": stat %s: no such file or directory", file, file);
        else report('E', code, "exec: \"%s\": %s", file, saved == EACCES ? "permission denied" : strerror(saved));
        _exit(code);
    }
    const char *path = env_value("PATH");
    if (!path) path = DEFAULT_PATH;
    int denied = 0;
    char candidate[PATH_MAX];
    for (const char *dir = path; ; ) {
        const char *colon = strchr(dir, ':');
        size_t len = colon ? (size_t)(colon - dir) : strlen(dir);
        snprintf(candidate, sizeof candidate, "%.*s/%s", (int)len, len ? dir : ".", file);
        execve(candidate, S.args, S.env);
        if (errno == EACCES) denied = 1;
        else if (errno != ENOENT && errno != ENOTDIR) {
            report('E', EXIT_NOT_EXECUTABLE, "exec: \"%s\": %s", candidate, strerror(errno));
            _exit(EXIT_NOT_EXECUTABLE);
        }
        if (!colon) break;
        dir = colon + 1;
    }
    if (denied) {
        report('E', EXIT_NOT_EXECUTABLE, "exec: \"%s\": permission denied", file);
        _exit(EXIT_NOT_EXECUTABLE);
    }
    report('E', EXIT_NOT_FOUND, "exec: \"%s\": executable file not found in $PATH", file);
    _exit(EXIT_NOT_FOUND);
}

static void __attribute__((noreturn)) become_command(void) {
    for (int i = 0; i < S.nlimits; i++) {
        struct rlimit value = { S.limits[i].soft, S.limits[i].hard }, current;
        if (setrlimit(S.limits[i].resource, &value) == 0) continue;
        /* Without CAP_SYS_RESOURCE a hard limit cannot be raised: go as high as this host allows. */
        if (errno != EPERM || getrlimit(S.limits[i].resource, &current) < 0) fail("setrlimit %d", S.limits[i].resource);
        if (value.rlim_max > current.rlim_max) value.rlim_max = current.rlim_max;
        if (value.rlim_cur > value.rlim_max) value.rlim_cur = value.rlim_max;
        if (setrlimit(S.limits[i].resource, &value) < 0) fail("setrlimit %d", S.limits[i].resource);
    }
    if (S.cwd) mkdir_parents(S.cwd);
    if (!has_flag('G') && setgroups((size_t)S.ngroups, S.groups) < 0) fail("setgroups");
    if (setresgid(S.gid, S.gid, S.gid) < 0) {
        if (errno == EINVAL) { errno = 0; fail("user %u:%u is not mapped in this user namespace (rootless with a one-uid map runs only as root)", S.uid, S.gid); }
        fail("setgid %u", S.gid);
    }
    if (!has_flag('A')) drop_capabilities();
    if (setresuid(S.uid, S.uid, S.uid) < 0) {
        if (errno == EINVAL) { errno = 0; fail("user %u:%u is not mapped in this user namespace (rootless with a one-uid map runs only as root)", S.uid, S.gid); }
        fail("setuid %u", S.uid);
    }
    if (S.cwd && chdir(S.cwd) < 0) fail("chdir to working directory %s", S.cwd);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    exec_command();
}

/* pid 1: reap every child, forward signals to the command, and exit with the command. */
static void __attribute__((noreturn)) init_loop(pid_t command) {
    sigset_t all;
    sigfillset(&all);
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0) continue;
        if (sig != SIGCHLD) { kill(command, sig); continue; }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid != command) continue;
            if (WIFSIGNALED(status)) {
                report('W', WTERMSIG(status), "signal");
                _exit(128 + WTERMSIG(status));
            }
            report('W', WEXITSTATUS(status), "exit");
            _exit(WEXITSTATUS(status));
        }
    }
}

static void noop_handler(int sig) { (void)sig; }

/* glibc refuses to touch its reserved real-time signals (32, 33), which a JVM parent may leave ignored. */
static void reset_all_signals(void) {
    struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; } action = { SIG_DFL, 0, NULL, 0 };
    for (int sig = 1; sig <= 64; sig++)
        if (sig != SIGKILL && sig != SIGSTOP) syscall(SYS_rt_sigaction, sig, &action, NULL, sizeof action.mask);
}

static void __attribute__((noreturn)) container_main(int sync_fd) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    char go;
    if (read_full(sync_fd, &go, 1) != 1) _exit(EXIT_SETUP);
    close(sync_fd);
    if (has_flag('C') && unshare(CLONE_NEWCGROUP) < 0) fail("unshare cgroup namespace");
    if (has_flag('U') && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) fail("become root in the user namespace");
    enter_rootfs();
    if (has_flag('T') && S.hostname && sethostname(S.hostname, strlen(S.hostname)) < 0) fail("sethostname");
    if (has_flag('N')) bring_up_loopback();
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD) signal(sig, noop_handler);
    pid_t command = fork();
    if (command < 0) fail("fork command");
    if (command == 0) {
        reset_all_signals();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        become_command();
    }
    init_loop(command);
}

/* ---------- monitor ---------- */

/* "--probe root|user": can this process create the namespaces a container needs, and mount in them? */
static int probe(const char *mode) {
    unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
    if (strcmp(mode, "user") == 0) flags |= CLONE_NEWUSER;
    pid_t pid = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, 0);
    if (pid < 0) { printf("clone namespaces: %s\n", strerror(errno)); return 1; }
    if (pid == 0) {
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) _exit(1);
        if (mount("tmpfs", "/tmp", "tmpfs", 0, NULL) < 0) _exit(2);
        _exit(0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("mount in new namespaces refused\n");
        return 1;
    }
    printf("ok\n");
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--probe") == 0) return probe(argv[2]);
    if (argc != 1) {
        fprintf(stderr, "usage: jbuild-init < spec   (jbuild starts this program; it is not meant to be run by hand)\n");
        return 2;
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    reset_all_signals();
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    parse_spec();

    int sync_pipe[2], report_pipe[2];
    if (pipe2(sync_pipe, O_CLOEXEC) < 0 || pipe2(report_pipe, O_CLOEXEC) < 0) fail("pipe");
    unsigned long flags = 0;
    if (has_flag('U')) flags |= CLONE_NEWUSER;
    if (has_flag('M')) flags |= CLONE_NEWNS;
    if (has_flag('P')) flags |= CLONE_NEWPID;
    if (has_flag('T')) flags |= CLONE_NEWUTS;
    if (has_flag('I')) flags |= CLONE_NEWIPC;
    if (has_flag('N')) flags |= CLONE_NEWNET;
    pid_t child = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
    if (child < 0) {
        char text[512];
        snprintf(text, sizeof text, "error %d create namespaces: %s\n", EXIT_SETUP, strerror(errno));
        write_status(text);
        return EXIT_SETUP;
    }
    if (child == 0) {
        close(sync_pipe[1]);
        close(report_pipe[0]);
        report_fd = report_pipe[1];
        container_main(sync_pipe[0]);
    }
    close(sync_pipe[0]);
    close(report_pipe[1]);

    monitor_child = child;
    if (has_flag('U')) write_id_maps(child);
    join_cgroups(child);
    forward_to = child;
    struct sigaction action = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };
    int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaction(forwarded[i], &action, NULL);
    if (write(sync_pipe[1], "g", 1) != 1) fail("release container");
    static char buffer[REPORT_MAX];
    size_t used = 0;
    ssize_t n;
    while ((n = read(report_pipe[0], buffer + used, sizeof buffer - 1 - used)) != 0) {
        if (n < 0) { if (errno == EINTR) continue; break; }
        used += n;
    }
    close(sync_pipe[1]);
    buffer[used] = 0;
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}

    /* Notes first, then the one outcome line Java acts on. */
    static char out[REPORT_MAX + 128];
    size_t o = 0;
    const char *error = NULL, *waited = NULL;
    for (char *line = buffer; *line; ) {
        char *eol = strchr(line, '\n');
        if (eol) *eol = 0;
        if (line[0] == 'N') o += (size_t)snprintf(out + o, sizeof out - o, "note %s\n", line + 4);
        else if (line[0] == 'M') o += (size_t)snprintf(out + o, sizeof out - o, "created %s\n", line + 4);
        else if (line[0] == 'E' && !error) error = line + 2;
        else if (line[0] == 'W') waited = line + 2;
        if (!eol) break;
        line = eol + 1;
    }
    int rc;
    if (error) {
        o += (size_t)snprintf(out + o, sizeof out - o, "error %s\n", error);
        rc = atoi(error);
    } else if (waited) {
        int value = atoi(waited);
        int by_signal = strstr(waited, "signal") != NULL;
        o += (size_t)snprintf(out + o, sizeof out - o, "%s %d\n", by_signal ? "signal" : "exit", value);
        rc = by_signal ? 128 + value : value;
    } else if (WIFSIGNALED(status)) {
        o += (size_t)snprintf(out + o, sizeof out - o, "signal %d\n", WTERMSIG(status));
        rc = 128 + WTERMSIG(status);
    } else {
        o += (size_t)snprintf(out + o, sizeof out - o, "error %d container init ended without a result (exit %d)\n",
                              EXIT_SETUP, WEXITSTATUS(status));
        rc = EXIT_SETUP;
    }
    (void)o;
    write_status(out);
    return rc;
}
