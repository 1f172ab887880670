/** Dockerfile parsing to a typed AST, with BuildKit's directives, heredocs and word expansion. */
module dev.jbuild.dockerfile {
    requires org.antlr.antlr4.runtime;

    exports dev.jbuild.dockerfile;
}
