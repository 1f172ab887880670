/** The OCI distribution protocol client: pull, push, auth, retries. */
module dev.jbuild.registry {
    requires transitive dev.jbuild.oci;
    requires okhttp3;
}
