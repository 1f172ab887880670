package dev.jbuild.cli;

import dev.jbuild.builder.BuildOutline;
import dev.jbuild.oci.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --call targets|outline|check[,format=json]}: what buildx's {@code --call} asks of the
 * Dockerfile frontend, printed as buildx prints it, or as the frontend's JSON with {@code format=json}.
 *
 * @param method what to tell: {@code build} (the default: build), {@code check}, {@code outline} or {@code targets}
 * @param json   {@code format=json}
 */
record BuildCalls(String method, boolean json) {
    /** Parses {@code --call}'s value. */
    static BuildCalls parse(String value) {
        String method = "";
        boolean json = false;
        for (String field : value.split(",")) {
            int equals = field.indexOf('=');
            if (equals < 0) {
                method = field.strip().toLowerCase(Locale.ROOT);
                continue;
            }
            String key = field.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            String fieldValue = field.substring(equals + 1).strip().toLowerCase(Locale.ROOT);
            switch (key) {
                case "format" -> json = switch (fieldValue) {
                    case "json" -> true;
                    case "text" -> false;
                    default -> throw new IllegalArgumentException("--call format is text or json, not \"" + fieldValue + "\"");
                };
                case "ignorestatus" -> {
                    // buildx's option to exit 0 despite check findings; jbuild's exit codes stay as documented
                }
                default -> throw new IllegalArgumentException("--call " + value + ": unknown field \"" + key + "\"");
            }
        }
        if (!List.of("build", "check", "outline", "targets").contains(method)) {
            throw new IllegalArgumentException("--call " + value + ": expected build, check, outline or targets");
        }
        return new BuildCalls(method, json);
    }

    static void printTargets(List<BuildOutline.Target> targets, boolean json, PrintWriter out) {
        if (json) {
            List<Object> entries = new ArrayList<>();
            for (BuildOutline.Target target : targets) {
                Map<String, Object> entry = new LinkedHashMap<>();
                putIfNotEmpty(entry, "name", target.name());
                if (target.isDefault()) {
                    entry.put("default", true);
                }
                putIfNotEmpty(entry, "description", target.description());
                putIfNotEmpty(entry, "base", target.base());
                putIfNotEmpty(entry, "platform", target.platform());
                entries.add(entry);
            }
            out.println(Json.writePretty(Map.of("targets", entries)));
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TARGET", "DESCRIPTION"});
        for (BuildOutline.Target target : targets) {
            String name = target.isDefault() ? (target.name().isEmpty() ? "(default)" : target.name() + " (default)")
                    : target.name();
            rows.add(new String[] {name, target.description()});
        }
        Tables.print(out, rows);
    }

    static void printOutline(BuildOutline outline, boolean json, PrintWriter out) {
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            putIfNotEmpty(document, "name", outline.target());
            putIfNotEmpty(document, "description", outline.description());
            document.put("args", outline.args().stream().map(arg -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", arg.name());
                putIfNotEmpty(entry, "value", arg.value());
                putIfNotEmpty(entry, "description", arg.description());
                return entry;
            }).toList());
            document.put("secrets", mountsJson(outline.secrets()));
            document.put("ssh", mountsJson(outline.ssh()));
            out.println(Json.writePretty(document));
            return;
        }
        if (!outline.target().isEmpty()) {
            out.println("TARGET:      " + outline.target());
        }
        if (!outline.description().isEmpty()) {
            out.println("DESCRIPTION: " + outline.description());
        }
        if (!outline.target().isEmpty() || !outline.description().isEmpty()) {
            out.println();
        }
        if (!outline.args().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"BUILD ARG", "VALUE", "DESCRIPTION"});
            outline.args().forEach(arg -> rows.add(new String[] {arg.name(), arg.value(), arg.description()}));
            Tables.print(out, rows);
            out.println();
        }
        printMounts("SECRET", outline.secrets(), out);
        printMounts("SSH", outline.ssh(), out);
    }

    private static void printMounts(String header, List<BuildOutline.Mount> mounts, PrintWriter out) {
        if (mounts.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {header, "REQUIRED"});
        mounts.forEach(mount -> rows.add(new String[] {mount.id(), String.valueOf(mount.required())}));
        Tables.print(out, rows);
        out.println();
    }

    private static List<Object> mountsJson(List<BuildOutline.Mount> mounts) {
        return mounts.stream().map(mount -> (Object) Map.of("name", mount.id(), "required", mount.required())).toList();
    }

    private static void putIfNotEmpty(Map<String, Object> map, String key, String value) {
        if (!value.isEmpty()) {
            map.put(key, value);
        }
    }
}
