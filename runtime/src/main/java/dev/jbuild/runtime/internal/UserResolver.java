package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.ContainerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Resolves Docker's {@code USER} forms ({@code uid[:gid]}, {@code name[:group]}) against an image's passwd and group files. */
public final class UserResolver {
    private UserResolver() {
    }

    /** The ids and home directory a command runs with. */
    public record ResolvedUser(int uid, int gid, List<Integer> supplementaryGroups, String home) {
        public ResolvedUser {
            supplementaryGroups = List.copyOf(supplementaryGroups);
        }
    }

    /** Resolves {@code spec}; a name that is not in the files is a {@link ContainerException}. */
    public static ResolvedUser resolve(String spec, Optional<List<String>> passwd, Optional<List<String>> group) {
        int colon = spec.indexOf(':');
        String userPart = colon < 0 ? spec : spec.substring(0, colon);
        String groupPart = colon < 0 ? null : spec.substring(colon + 1);
        List<String[]> users = entries(passwd, 7);
        List<String[]> groups = entries(group, 4);

        String[] userEntry = null;
        for (String[] entry : users) {
            if (entry[0].equals(userPart) || (isNumber(userPart) && entry[2].equals(userPart))) {
                userEntry = entry;
                break;
            }
        }
        int uid;
        int gid;
        String home;
        if (userEntry != null) {
            uid = parseId(userEntry[2], spec);
            gid = parseId(userEntry[3], spec);
            home = userEntry[5].isEmpty() ? "/" : userEntry[5];
        } else if (isNumber(userPart)) {
            uid = parseId(userPart, spec);
            gid = 0;
            home = "/";
        } else {
            throw new ContainerException(ContainerException.SETUP_FAILED,
                    "unable to find user " + userPart + ": no matching entries in passwd file");
        }
        if (groupPart != null) {
            gid = groupId(groupPart, groups, spec);
        }
        // like Docker, the primary group is also a supplementary group
        List<Integer> supplementary = new ArrayList<>(List.of(gid));
        if (userEntry != null) {
            for (String[] entry : groups) {
                for (String member : entry[3].split(",")) {
                    if (member.equals(userEntry[0])) {
                        int id = parseId(entry[2], spec);
                        if (id != gid && !supplementary.contains(id)) {
                            supplementary.add(id);
                        }
                    }
                }
            }
        }
        return new ResolvedUser(uid, gid, supplementary, home);
    }

    private static int groupId(String groupPart, List<String[]> groups, String spec) {
        for (String[] entry : groups) {
            if (entry[0].equals(groupPart)) {
                return parseId(entry[2], spec);
            }
        }
        if (isNumber(groupPart)) {
            return parseId(groupPart, spec);
        }
        throw new ContainerException(ContainerException.SETUP_FAILED,
                "unable to find group " + groupPart + ": no matching entries in group file");
    }

    private static List<String[]> entries(Optional<List<String>> lines, int fields) {
        List<String[]> result = new ArrayList<>();
        for (String line : lines.orElse(List.of())) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", -1);
            if (parts.length >= fields) {
                result.add(parts);
            }
        }
        return result;
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }

    private static int parseId(String text, String spec) {
        try {
            long value = Long.parseLong(text);
            if (value < 0 || value > 0xFFFF_FFFEL) {
                throw new NumberFormatException();
            }
            return (int) value;
        } catch (NumberFormatException e) {
            throw new ContainerException(ContainerException.SETUP_FAILED,
                    "invalid id \"" + text + "\" while resolving user \"" + spec + "\"");
        }
    }
}
