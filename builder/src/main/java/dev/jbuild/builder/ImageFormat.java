package dev.jbuild.builder;

/** Which manifest and config media types a build writes. */
public enum ImageFormat {
    /** OCI image manifest and config (the default). */
    OCI,
    /** Docker image manifest schema 2 and Docker config media types. */
    DOCKER;

    /** Parses {@code oci} or {@code docker}, ignoring case. */
    public static ImageFormat parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "oci" -> OCI;
            case "docker" -> DOCKER;
            default -> throw new IllegalArgumentException("unknown image format \"" + text + "\" (expected oci or docker)");
        };
    }
}
