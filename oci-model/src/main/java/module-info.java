/** The OCI image model: digests, references, descriptors, platforms, manifests, indexes and image configs. */
module dev.jbuild.oci {
    requires transitive com.fasterxml.jackson.databind;

    exports dev.jbuild.oci;
}
