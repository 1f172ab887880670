package dev.jbuild.cli;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.registry.RegistryRepository;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --format oci|docker} for commands that push to a registry: OCI manifests as they are
 * (converted to Docker schema 2 only when the registry refuses them), or always Docker schema 2.
 */
final class PushFormat {
    @Option(names = "--format", paramLabel = "oci|docker", defaultValue = "oci", converter = FormatName.class,
            description = "Manifest format to push: oci (as stored; converted to Docker schema 2 only when the "
                    + "registry refuses OCI) or docker (always Docker schema 2, like skopeo's --format v2s2; "
                    + "v2s2 is accepted too). Default: ${DEFAULT-VALUE}.")
    String format = "oci";

    /** {@code oci} stays, {@code docker} and {@code v2s2} become {@code docker}; anything else is refused. */
    static final class FormatName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "oci" -> "oci";
                case "docker", "v2s2" -> "docker";
                default -> throw new TypeConversionException("expected oci or docker, not " + value);
            };
        }
    }

    /** True for {@code --format docker}. */
    boolean docker() {
        return format.equals("docker");
    }

    /** The repository to push to, converting everything to Docker schema 2 when asked. */
    RegistryRepository apply(RegistryRepository repository) {
        return docker() ? repository.withDockerFormat() : repository;
    }

    /**
     * The copy's result with the root it was really pushed as, printing one line when the image
     * was converted to Docker schema 2 (and why).
     */
    ContentCopy.Result report(ContentCopy.Result result, RegistryRepository repository) {
        Optional<Descriptor> converted = repository.convertedFrom(result.root().digest());
        if (converted.isEmpty()) {
            return result;
        }
        System.out.println("converted " + result.root().digest() + " to Docker schema 2 as " + converted.get().digest()
                + (docker() ? " (--format docker)" : " (the registry refused OCI manifests)"));
        return new ContentCopy.Result(converted.get(), result.bytesTransferred(), result.bytesSkipped());
    }
}
