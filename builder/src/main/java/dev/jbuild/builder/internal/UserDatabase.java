package dev.jbuild.builder.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/** The users and groups of an image ({@code /etc/passwd}, {@code /etc/group}), to resolve {@code --chown} names. */
public final class UserDatabase {
    /** An image without passwd or group files: only numeric ids resolve. */
    public static final UserDatabase EMPTY = new UserDatabase(Map.of(), Map.of(), Map.of());

    /** A numeric owner. */
    public record Owner(int uid, int gid) {
        public Owner {
            if (uid < 0 || gid < 0) {
                throw new IllegalArgumentException("negative owner " + uid + ":" + gid);
            }
        }
    }

    private final Map<String, Integer> uids;
    private final Map<String, Integer> primaryGids;
    private final Map<String, Integer> gids;

    private UserDatabase(Map<String, Integer> uids, Map<String, Integer> primaryGids, Map<String, Integer> gids) {
        this.uids = Map.copyOf(uids);
        this.primaryGids = Map.copyOf(primaryGids);
        this.gids = Map.copyOf(gids);
    }

    /** Reads passwd ({@code name:x:uid:gid:…}) and group ({@code name:x:gid:…}) text; malformed lines are skipped as libc does. */
    public static UserDatabase parse(String passwd, String group) {
        Map<String, Integer> uids = new HashMap<>();
        Map<String, Integer> primaryGids = new HashMap<>();
        for (String line : passwd.split("\n")) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 4 && !fields[0].isEmpty() && !line.startsWith("#")) {
                OptionalInt uid = number(fields[2]);
                OptionalInt gid = number(fields[3]);
                if (uid.isPresent() && gid.isPresent()) {
                    uids.putIfAbsent(fields[0], uid.getAsInt());
                    primaryGids.putIfAbsent(fields[0], gid.getAsInt());
                }
            }
        }
        Map<String, Integer> gids = new HashMap<>();
        for (String line : group.split("\n")) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 3 && !fields[0].isEmpty() && !line.startsWith("#")) {
                number(fields[2]).ifPresent(gid -> gids.putIfAbsent(fields[0], gid));
            }
        }
        return new UserDatabase(uids, primaryGids, gids);
    }

    /**
     * Resolves {@code user[:group]} as COPY/ADD {@code --chown} does: names through this database,
     * numbers as they are; without a group, the gid is the same number as the uid.
     */
    public Owner resolveChown(String spec) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? null : spec.substring(colon + 1);
        if (user.isEmpty()) {
            throw new IllegalArgumentException("invalid --chown \"" + spec + "\": no user");
        }
        int uid = number(user).orElseGet(() -> {
            Integer found = uids.get(user);
            if (found == null) {
                throw new IllegalArgumentException("unable to find user " + user + " (for --chown=" + spec
                        + "): no matching entries in passwd file");
            }
            return found;
        });
        if (group == null || group.isEmpty()) {
            return new Owner(uid, uid);
        }
        int gid = number(group).orElseGet(() -> {
            Integer found = gids.get(group);
            if (found == null) {
                throw new IllegalArgumentException("unable to find group " + group + " (for --chown=" + spec
                        + "): no matching entries in group file");
            }
            return found;
        });
        return new Owner(uid, gid);
    }

    /** The uid and primary gid of {@code user} (a name or a number), as RUN's {@code USER} resolves it. */
    public Owner resolveUser(String spec) {
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? null : spec.substring(colon + 1);
        OptionalInt numeric = number(user);
        int uid;
        int gid;
        if (numeric.isPresent()) {
            uid = numeric.getAsInt();
            gid = primaryGids.entrySet().stream()
                    .filter(e -> uids.get(e.getKey()) == uid)
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(0);
        } else {
            Integer found = uids.get(user);
            if (found == null) {
                throw new IllegalArgumentException("unable to find user " + user + ": no matching entries in passwd file");
            }
            uid = found;
            gid = primaryGids.get(user);
        }
        if (group != null && !group.isEmpty()) {
            OptionalInt numericGroup = number(group);
            if (numericGroup.isPresent()) {
                gid = numericGroup.getAsInt();
            } else {
                Integer found = gids.get(group);
                if (found == null) {
                    throw new IllegalArgumentException("unable to find group " + group + ": no matching entries in group file");
                }
                gid = found;
            }
        }
        return new Owner(uid, gid);
    }

    private static OptionalInt number(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        long value = Long.parseLong(text);
        return value > Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of((int) value);
    }
}
