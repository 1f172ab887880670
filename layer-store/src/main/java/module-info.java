/** The content-addressed local store (an OCI image layout) and layer tar apply/write. */
module dev.jbuild.store {
    requires transitive dev.jbuild.oci;
    requires org.apache.commons.compress;

    exports dev.jbuild.store;
}
