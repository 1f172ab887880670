package dev.jbuild.builder.internal;

import java.util.Objects;
import java.util.function.Supplier;

/** A value made by its factory at the first {@link #get}, then kept; safe for several threads. */
public final class OnFirstUse<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private T value;

    public OnFirstUse(Supplier<T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public synchronized T get() {
        if (value == null) {
            value = factory.get();
        }
        return value;
    }
}
