package dev.jbuild.cli;

import dev.jbuild.builder.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Stack;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * buildx's attestation flags: {@code --provenance}, {@code --sbom} and {@code --attest}. jbuild writes
 * SLSA provenance; an SBOM needs a scanner it does not have, so asking for one is refused before the
 * build starts rather than ignored.
 */
final class AttestationOptions {
    @Option(names = "--provenance", arity = "0..1", paramLabel = "true|false|mode=min|max[,builder-id=ID][,version=v1|v0.2]",
            preprocessor = AttachedValueOnly.class, description = "Attach a SLSA provenance attestation to pushed "
            + "images and OCI layout outputs, or write it as provenance.json into local and tar outputs (alone or "
            + "true: mode=min; mode=max adds build-arg values, secret ids and the Dockerfile).")
    String provenance;

    @Option(names = "--sbom", arity = "0..1", paramLabel = "false", preprocessor = AttachedValueOnly.class,
            description = "Only false is accepted: jbuild writes no SBOM attestation.")
    String sbom;

    @Option(names = "--attest", paramLabel = "type=provenance[,mode=min|max]|type=sbom,disabled=true",
            description = "An attestation, as --provenance takes it (repeatable); type=sbom only disabled.")
    List<String> attestations = new ArrayList<>();

    /** The provenance asked for, if any; fails with a clear message when an SBOM is asked for. */
    Optional<Provenance> provenance() {
        Optional<Provenance> asked = provenance == null ? Optional.empty() : Provenance.parse(provenance);
        if (sbom != null && !List.of("false", "0").contains(sbom.strip().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(noSbom("--sbom=" + sbom));
        }
        for (String attestation : attestations) {
            String type = field(attestation, "type");
            if (type.equals("provenance")) {
                asked = Provenance.parseAttest(attestation);
            } else if (type.equals("sbom")) {
                if (!Boolean.parseBoolean(field(attestation, "disabled"))) {
                    throw new IllegalArgumentException(noSbom("--attest " + attestation));
                }
            } else {
                throw new IllegalArgumentException("--attest " + attestation + ": type is provenance or sbom");
            }
        }
        return asked;
    }

    private static String field(String attestation, String key) {
        for (String field : attestation.split(",")) {
            String[] pair = field.split("=", 2);
            if (pair[0].strip().equalsIgnoreCase(key)) {
                return pair.length > 1 ? pair[1].strip() : "";
            }
        }
        return "";
    }

    private static String noSbom(String asked) {
        return asked + ": jbuild writes no SBOM attestation (that needs a package scanner); build with --sbom=false, "
                + "or attach one with another tool";
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
}
