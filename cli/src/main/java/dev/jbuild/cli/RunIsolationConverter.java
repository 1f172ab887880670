package dev.jbuild.cli;

import dev.jbuild.runtime.Isolation;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --isolation root|rootless-subuid|rootless-one-uid|chroot}. */
final class RunIsolationConverter implements ITypeConverter<Isolation> {
    static String names() {
        return Arrays.stream(Isolation.values()).map(RunIsolationConverter::name).collect(Collectors.joining(", "));
    }

    static String name(Isolation isolation) {
        return isolation.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public Isolation convert(String value) {
        for (Isolation isolation : Isolation.values()) {
            if (name(isolation).equals(value.toLowerCase(Locale.ROOT).replace('_', '-'))) {
                return isolation;
            }
        }
        throw new TypeConversionException("unknown isolation \"" + value + "\": use one of " + names());
    }
}
