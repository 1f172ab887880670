/**
 * Dockerfile parsing with BuildKit's behaviour.
 *
 * <p>{@link dev.jbuild.dockerfile.DockerfileParser} is the entry point. It works in two layers,
 * as BuildKit does: the line parser ({@link dev.jbuild.dockerfile.SyntaxTree}, one
 * {@link dev.jbuild.dockerfile.Node} per instruction, what {@code Node.Dump()} prints) and the
 * instruction checks ({@link dev.jbuild.dockerfile.Dockerfile}, sealed
 * {@link dev.jbuild.dockerfile.Instruction} records with typed flags, mounts and heredocs).
 * Values BuildKit expands at build time stay unexpanded; the builder expands them with
 * {@link dev.jbuild.dockerfile.ShellLexer} against an {@link dev.jbuild.dockerfile.Environment}.
 * The typed parse also reports BuildKit's lint rules as {@link dev.jbuild.dockerfile.Warning}s
 * (BuildKit's rule names and wording), filtered by {@code # check=skip=}.
 *
 * <p>Two ANTLR grammars do the context-free parts: {@code DockerfileLines} splits the file into
 * physical lines and classifies each (comment, blank, text), and {@code JsonArray} decides whether
 * an instruction is in exec form (and whether its array holds only strings). Everything that
 * depends on state a grammar cannot carry without target code — the escape character chosen by a
 * directive, continuation lines, heredoc bodies that swallow lines named on an earlier line, the
 * per-instruction argument splitting and the byte-wise flag scanner — is hand-written Java in
 * {@code dev.jbuild.dockerfile.internal}, following BuildKit's rules one to one.
 */
package dev.jbuild.dockerfile;
