/** The content-addressed local store (an OCI image layout) and layer tar apply/write. */
module dev.jbuild.store {
    requires transitive dev.jbuild.oci;
    requires org.apache.commons.compress;
    requires com.github.luben.zstd_jni;

    exports dev.jbuild.store;
}
