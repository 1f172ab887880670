package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.RunMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code RUN --mount} specs with BuildKit's keys, defaults and errors. */
public final class MountSpecs {
    private static final List<String> KEYS = List.of("type", "from", "source", "src", "target", "dst", "destination",
            "readonly", "ro", "readwrite", "rw", "required", "id", "sharing", "mode", "uid", "gid", "size", "env");
    private static final Pattern SIZE = Pattern.compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    private MountSpecs() {
    }

    private static final class Fields {
        String type = "bind";
        String from;
        String source;
        String target;
        Boolean readOnly;
        boolean required;
        String id;
        String sharing;
        Integer mode;
        Integer uid;
        Integer gid;
        Long size;
        String env;
    }

    /** Parses one spec; {@link IllegalArgumentException} carries BuildKit's message. */
    public static RunMount parse(String spec) {
        List<String> fields = csvFields(spec);
        Fields f = new Fields();
        for (String field : fields) {
            String[] parts = field.split("=", 2);
            if (parts[0].trim().toLowerCase(Locale.ROOT).equals("type") && parts.length == 2) {
                f.type = parts[1].toLowerCase(Locale.ROOT);
            }
        }
        if (!List.of("bind", "cache", "tmpfs", "secret", "ssh").contains(f.type)) {
            throw new IllegalArgumentException("unsupported mount type \"" + f.type + "\"");
        }
        for (String field : fields) {
            String[] parts = field.split("=", 2);
            String key = parts[0].trim().toLowerCase(Locale.ROOT);
            if (parts.length == 1) {
                switch (key) {
                    case "readonly", "ro" -> f.readOnly = true;
                    case "readwrite", "rw" -> f.readOnly = false;
                    case "required" -> {
                        requireSecretOrSsh(f, key);
                        f.required = true;
                    }
                    default -> throw new IllegalArgumentException("invalid field '" + field + "' must be a key=value pair");
                }
                continue;
            }
            String value = parts[1];
            switch (key) {
                case "type" -> { }
                case "from" -> f.from = value;
                case "source", "src" -> f.source = value;
                case "target", "dst", "destination" -> f.target = value;
                case "readonly", "ro" -> f.readOnly = bool(key, value);
                case "readwrite", "rw" -> f.readOnly = !bool(key, value);
                case "required" -> {
                    requireSecretOrSsh(f, key);
                    f.required = bool(key, value);
                }
                case "id" -> f.id = value;
                case "sharing" -> {
                    if (!f.type.equals("cache")) {
                        throw new IllegalArgumentException("invalid cache sharing set for " + f.type + " mount");
                    }
                    f.sharing = value.toLowerCase(Locale.ROOT);
                    if (!List.of("shared", "private", "locked").contains(f.sharing)) {
                        throw new IllegalArgumentException("unsupported sharing value \"" + value + "\"");
                    }
                }
                case "mode" -> f.mode = number(key, value, 8, f);
                case "uid" -> f.uid = number(key, value, 10, f);
                case "gid" -> f.gid = number(key, value, 10, f);
                case "size" -> {
                    if (!f.type.equals("tmpfs")) {
                        throw new IllegalArgumentException("size not allowed for \"" + f.type + "\" type mounts");
                    }
                    f.size = ramInBytes(value);
                }
                case "env" -> {
                    if (!f.type.equals("secret")) {
                        throw new IllegalArgumentException("env not allowed for \"" + f.type + "\" type mounts");
                    }
                    f.env = value;
                }
                default -> throw new IllegalArgumentException("unexpected key '" + key + "' in '" + field + "'"
                        + Suggestions.didYouMean(key, KEYS, false));
            }
        }
        return build(f);
    }

    private static void requireSecretOrSsh(Fields f, String key) {
        if (!f.type.equals("secret") && !f.type.equals("ssh")) {
            throw new IllegalArgumentException("unexpected key '" + key + "' for mount type '" + f.type + "'");
        }
    }

    private static RunMount build(Fields f) {
        return switch (f.type) {
            case "bind" -> new RunMount.Bind(target(f), f.source == null ? "" : f.source, Optional.ofNullable(f.from),
                    f.readOnly == null || f.readOnly);
            case "cache" -> new RunMount.Cache(target(f), f.id == null || f.id.isEmpty() ? f.target : f.id,
                    f.sharing == null ? RunMount.Sharing.SHARED : RunMount.Sharing.valueOf(f.sharing.toUpperCase(Locale.ROOT)),
                    Optional.ofNullable(f.from), Optional.ofNullable(f.source), f.readOnly != null && f.readOnly,
                    optional(f.mode), optional(f.uid), optional(f.gid));
            case "tmpfs" -> new RunMount.Tmpfs(target(f), f.size == null ? OptionalLong.empty() : OptionalLong.of(f.size));
            case "secret" -> secret(f);
            default -> new RunMount.Ssh(f.id == null || f.id.isEmpty() ? "default" : f.id,
                    f.target == null || f.target.isEmpty() ? "/run/buildkit/ssh_agent.0" : f.target, f.required,
                    optional(f.mode), optional(f.uid), optional(f.gid));
        };
    }

    private static RunMount secret(Fields f) {
        if (f.from != null) {
            throw new IllegalArgumentException("secret mount should not have a from");
        }
        if (f.source != null && f.id != null) {
            throw new IllegalArgumentException("both source and id can't be set");
        }
        String id = f.id != null ? f.id : f.source;
        if ((id == null || id.isEmpty()) && (f.target == null || f.target.isEmpty())) {
            throw new IllegalArgumentException("invalid secret mount. one of source, target required");
        }
        if (id == null || id.isEmpty()) {
            id = f.target.substring(f.target.lastIndexOf('/') + 1);
        }
        String target = f.target != null && !f.target.isEmpty() ? f.target
                : f.env != null ? "" : "/run/secrets/" + id;
        return new RunMount.Secret(id, target, Optional.ofNullable(f.env), f.required, optional(f.mode),
                optional(f.uid), optional(f.gid));
    }

    private static String target(Fields f) {
        if (f.target == null || f.target.isEmpty()) {
            throw new IllegalArgumentException("mount destination not specified for " + f.type + " mount");
        }
        return f.target;
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "t", "true" -> true;
            case "0", "f", "false" -> false;
            default -> throw new IllegalArgumentException("invalid value for " + key + ": " + value);
        };
    }

    private static int number(String key, String value, int radix, Fields f) {
        if (!f.type.equals("secret") && !f.type.equals("ssh") && !f.type.equals("cache")) {
            throw new IllegalArgumentException(key + " not allowed for \"" + f.type + "\" type mounts");
        }
        try {
            long parsed = Long.parseLong(value, radix);
            if (parsed < 0 || parsed > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return (int) parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value for " + key + ": " + value);
        }
    }

    // docker/go-units RAMInBytes: binary multipliers, an optional "i" and "b".
    static long ramInBytes(String value) {
        Matcher matcher = SIZE.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid size: '" + value + "'");
        }
        double size = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(3) == null ? "" : matcher.group(3).toLowerCase(Locale.ROOT);
        int shift = switch (unit) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        return (long) (size * Math.pow(2, shift));
    }

    // encoding/csv with one record: commas split, double quotes group, "" inside quotes is a quote.
    static List<String> csvFields(String spec) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < spec.length() && spec.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                continue;
            } else if (c == '"' && fieldStart) {
                quoted = true;
            } else {
                field.append(c);
            }
            fieldStart = false;
        }
        if (quoted) {
            throw new IllegalArgumentException("parse error on line 1, column " + (spec.length() + 1)
                    + ": extraneous or missing \" in quoted-field");
        }
        fields.add(field.toString());
        return fields;
    }
}
