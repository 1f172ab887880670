/** Builds OCI images from Dockerfiles: planning, execution, layers, cache and outputs. */
module dev.jbuild.builder {
    requires transitive dev.jbuild.oci;
    requires transitive dev.jbuild.dockerfile;
    requires transitive dev.jbuild.store;
    requires transitive dev.jbuild.registry;
    requires transitive dev.jbuild.runtime;
    requires org.apache.commons.compress;
    requires java.net.http;

    exports dev.jbuild.builder;
}
