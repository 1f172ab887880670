/** The embedded container runtime core that runs build steps in namespaced containers. */
module dev.jbuild.runtime {
    requires transitive dev.jbuild.oci;
    requires com.fasterxml.jackson.databind;

    exports dev.jbuild.runtime;
}
