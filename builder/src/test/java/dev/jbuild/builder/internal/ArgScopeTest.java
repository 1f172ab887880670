package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.dockerfile.ArgDefinition;
import dev.jbuild.dockerfile.Environment;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.ShellLexer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgScopeTest {
    private static final ShellLexer LEXER = ShellLexer.withEscape('\\');

    private static ArgDefinition arg(String name, String defaultValue) {
        return new ArgDefinition(name, Optional.ofNullable(defaultValue));
    }

    @Test
    void stageSeesGlobalArgOnlyAfterRedeclaring() throws ExpansionException {
        ArgScope global = ArgScope.global(Map.of(), Map.of());
        global.declare(List.of(arg("VERSION", "1")), LEXER, Environment.empty());
        ArgScope stage = global.newStage();
        assertEquals(Optional.empty(), stage.value("VERSION"));
        stage.declare(List.of(arg("VERSION", null)), LEXER, Environment.empty());
        assertEquals(Optional.of("1"), stage.value("VERSION"));
    }

    @Test
    void buildArgBeatsDefaultsEverywhere() throws ExpansionException {
        ArgScope global = ArgScope.global(Map.of("V", "cli"), Map.of());
        global.declare(List.of(arg("V", "global")), LEXER, Environment.empty());
        ArgScope stage = global.newStage();
        stage.declare(List.of(arg("V", "stage")), LEXER, Environment.empty());
        assertEquals(Optional.of("cli"), global.value("V"));
        assertEquals(Optional.of("cli"), stage.value("V"));
    }

    @Test
    void stageDefaultBeatsGlobalValue() throws ExpansionException {
        ArgScope global = ArgScope.global(Map.of(), Map.of());
        global.declare(List.of(arg("V", "global")), LEXER, Environment.empty());
        ArgScope stage = global.newStage();
        stage.declare(List.of(arg("V", "stage")), LEXER, Environment.empty());
        assertEquals(Optional.of("stage"), stage.value("V"));
    }

    @Test
    void envBeatsArgInExpansionAndDefaultsExpandEarlierArgs() throws ExpansionException {
        ArgScope stage = ArgScope.global(Map.of(), Map.of()).newStage();
        stage.declare(List.of(arg("A", "one"), arg("B", "${A}-two")), LEXER, Environment.empty());
        assertEquals(Optional.of("one-two"), stage.value("B"));
        Environment withEnv = stage.expansionEnvironment(Environment.of(Map.of("A", "env")));
        assertEquals("env one-two", LEXER.processWord("$A $B", withEnv));
    }

    @Test
    void automaticPlatformArgsNeedRedeclarationInAStage() throws ExpansionException {
        ArgScope global = ArgScope.global(Map.of(), Map.of("TARGETARCH", "amd64"));
        assertEquals(Optional.of("amd64"), global.value("TARGETARCH"));
        ArgScope stage = global.newStage();
        assertFalse(stage.isDeclared("TARGETARCH"));
        stage.declare(List.of(arg("TARGETARCH", null)), LEXER, Environment.empty());
        assertEquals(Optional.of("amd64"), stage.value("TARGETARCH"));
    }

    @Test
    void proxyArgsReachRunWithoutDeclarationButStayOutOfRecordedArgs() throws ExpansionException {
        ArgScope stage = ArgScope.global(Map.of("HTTP_PROXY", "http://p:3128", "OTHER", "x"), Map.of()).newStage();
        assertEquals(Map.of("HTTP_PROXY", "http://p:3128"), stage.undeclaredProxyArgs());
        assertTrue(stage.valuedArgs().isEmpty());
        stage.declare(List.of(arg("HTTP_PROXY", null)), LEXER, Environment.empty());
        assertEquals(Map.of("HTTP_PROXY", "http://p:3128"), stage.valuedArgs());
        assertTrue(stage.undeclaredProxyArgs().isEmpty());
    }

    @Test
    void declaredWithoutValueIsNotRecorded() throws ExpansionException {
        ArgScope stage = ArgScope.global(Map.of(), Map.of()).newStage();
        stage.declare(List.of(arg("EMPTY", null), arg("SET", "")), LEXER, Environment.empty());
        assertEquals(Map.of("SET", ""), stage.valuedArgs());
    }
}
