package dev.jbuild.oci;

import java.time.Instant;

/** One entry of an image's history: the step that made a layer, or changed only the config ({@code emptyLayer}). */
public record History(Instant created, String createdBy, String author, String comment, boolean emptyLayer) {
    public History {
        createdBy = createdBy == null ? "" : createdBy;
        author = author == null ? "" : author;
        comment = comment == null ? "" : comment;
    }
}
