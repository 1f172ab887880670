/** The jbuild, jpull and jpush command-line tools. */
module dev.jbuild.cli {
    requires dev.jbuild.builder;
    requires info.picocli;
    opens dev.jbuild.cli to info.picocli;
}
