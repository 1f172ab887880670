package dev.jbuild.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code docker build} and {@code buildx build} flags that scripts pass and that ask nothing of
 * jbuild beyond what it always does: they are accepted, so those scripts run unchanged. A request
 * jbuild cannot honour (an attestation) is refused before the build starts rather than ignored.
 */
final class BuildxCompatibility {
    @Option(names = "--load", description = "Accepted for buildx scripts: the image always goes to the store.")
    boolean load;

    @Option(names = "--rm", arity = "0..1", paramLabel = "BOOL",
            description = "Accepted for docker build scripts: no step leaves a container behind.")
    boolean removeContainers = true;

    @Option(names = "--force-rm", description = "Accepted for docker build scripts: no step leaves a container behind.")
    boolean forceRemoveContainers;

    @Option(names = "--provenance", arity = "0..1", paramLabel = "false", preprocessor = AttachedValueOnly.class,
            description = "Only false (or disabled) is accepted: jbuild writes no provenance attestation.")
    String provenance;

    @Option(names = "--sbom", arity = "0..1", paramLabel = "false", preprocessor = AttachedValueOnly.class,
            description = "Only false (or disabled) is accepted: jbuild writes no SBOM attestation.")
    String sbom;

    @Option(names = "--attest", paramLabel = "type=TYPE,disabled=true",
            description = "Only disabled attestations are accepted (repeatable).")
    List<String> attestations = new ArrayList<>();

    /** Fails with a clear message when an option asks for an attestation. */
    void check() {
        requireDisabled("--provenance", provenance);
        requireDisabled("--sbom", sbom);
        for (String attestation : attestations) {
            String type = "";
            boolean disabled = false;
            for (String field : attestation.split(",")) {
                String[] pair = field.split("=", 2);
                String key = pair[0].strip().toLowerCase(Locale.ROOT);
                String value = pair.length > 1 ? pair[1].strip() : "";
                if (key.equals("type")) {
                    type = value;
                } else if (key.equals("disabled")) {
                    disabled = Boolean.parseBoolean(value);
                }
            }
            if (type.isEmpty()) {
                throw new IllegalArgumentException("--attest " + attestation + " needs type=provenance or type=sbom");
            }
            if (!disabled) {
                throw new IllegalArgumentException(refusal("--attest type=" + type, "--attest type=" + type
                        + ",disabled=true"));
            }
        }
    }

    private static void requireDisabled(String option, String value) {
        if (value == null) {
            return;
        }
        String normalized = value.strip().toLowerCase(Locale.ROOT);
        if (!normalized.equals("false") && !normalized.equals("0") && !normalized.equals("disabled=true")) {
            throw new IllegalArgumentException(refusal(option + "=" + value, option + "=false"));
        }
    }

    /**
     * Takes an option's value only when attached with {@code =}, as buildx's flags do: alone, the
     * option means {@code true}, and the argument after it is the build context, not its value.
     */
    static final class AttachedValueOnly implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec option, Map<String, Object> info) {
            if (" ".equals(info.get("separator"))) {
                args.push("true");
            }
            return false;
        }
    }

    private static String refusal(String asked, String instead) {
        return asked + ": jbuild writes no attestations (provenance or SBOM); build with " + instead
                + ", or attach one with another tool";
    }
}
