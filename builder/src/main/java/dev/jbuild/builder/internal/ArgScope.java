package dev.jbuild.builder.internal;

import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.Environment;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.ShellLexer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The build arguments declared so far in one scope (the global scope before the first FROM, or one
 * stage), with BuildKit's rules: {@code --build-arg} beats a default; a stage sees a global ARG
 * only after declaring it again; ENV beats ARG of the same name when words are expanded.
 */
public final class ArgScope {
    /** The proxy args a RUN gets from {@code --build-arg} without a declaration, kept out of history and cache keys. */
    public static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final Map<String, String> buildArgs;
    private final ArgScope global;
    /** Declared names in declaration order; a null value means declared without a value. */
    private final LinkedHashMap<String, String> declared = new LinkedHashMap<>();

    private ArgScope(Map<String, String> buildArgs, ArgScope global) {
        this.buildArgs = Map.copyOf(buildArgs);
        this.global = global;
    }

    /** The global scope, seeded with the automatic args ({@code TARGETPLATFORM}, {@code BUILDARCH}, …). */
    public static ArgScope global(Map<String, String> buildArgs, Map<String, String> automaticArgs) {
        ArgScope scope = new ArgScope(buildArgs, null);
        scope.declared.putAll(automaticArgs);
        return scope;
    }

    /** A new, empty stage scope that can re-declare this global scope's args. */
    public ArgScope newStage() {
        if (global != null) {
            throw new IllegalStateException("a stage scope has no stages");
        }
        return new ArgScope(buildArgs, this);
    }

    /**
     * Declares the args of one ARG instruction; defaults are expanded against {@code environment}
     * (the ENV values in effect) and the args declared so far.
     */
    public void declare(Iterable<ArgDefinition> definitions, ShellLexer lexer, Environment environment)
            throws ExpansionException {
        for (ArgDefinition definition : definitions) {
            String name = definition.name();
            String value;
            if (buildArgs.containsKey(name)) {
                value = buildArgs.get(name);
            } else if (definition.defaultValue().isPresent()) {
                value = lexer.processWord(definition.defaultValue().get(), expansionEnvironment(environment));
            } else if (global != null && global.declared.containsKey(name)) {
                value = global.declared.get(name);
            } else {
                value = null;
            }
            declared.put(name, value);
        }
    }

    /** The value of a declared arg, empty when undeclared or declared without a value. */
    public Optional<String> value(String name) {
        return Optional.ofNullable(declared.get(name));
    }

    /** The names declared in this scope, in declaration order. */
    public List<String> declaredNames() {
        return List.copyOf(declared.keySet());
    }

    /** True when {@code name} was declared in this scope. */
    public boolean isDeclared(String name) {
        return declared.containsKey(name);
    }

    /** What words expand against: ENV values first, then declared args that have values. */
    public Environment expansionEnvironment(Environment environment) {
        return name -> environment.lookup(name).or(() -> value(name));
    }

    /**
     * The args a RUN step sees as environment variables and that its history and cache key record:
     * every declared arg with a value, in declaration order.
     */
    public SortedMap<String, String> valuedArgs() {
        SortedMap<String, String> values = new TreeMap<>();
        declared.forEach((name, value) -> {
            if (value != null) {
                values.put(name, value);
            }
        });
        return values;
    }

    /** The declared args with values, in declaration order (for RUN's {@code |N A=1 B=2} history form). */
    public LinkedHashMap<String, String> valuedArgsInOrder() {
        LinkedHashMap<String, String> values = new LinkedHashMap<>();
        declared.forEach((name, value) -> {
            if (value != null) {
                values.put(name, value);
            }
        });
        return values;
    }

    /** Proxy args given with {@code --build-arg} but never declared: RUN gets them, history and cache keys do not. */
    public Map<String, String> undeclaredProxyArgs() {
        Map<String, String> values = new TreeMap<>();
        for (String name : PROXY_ARGS) {
            if (buildArgs.containsKey(name) && !declared.containsKey(name)) {
                values.put(name, buildArgs.get(name));
            }
        }
        return values;
    }
}
