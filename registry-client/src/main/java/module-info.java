/** The OCI distribution protocol client: pull, push, auth, retries. */
module dev.jbuild.registry {
    requires transitive dev.jbuild.oci;
    requires okhttp3;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports dev.jbuild.registry;
}
