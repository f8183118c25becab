package dev.qmt4j.oci;

/** Parses reference strings by the distribution reference grammar. */
final class ImageRefParser {
    private ImageRefParser() {}

    static ImageRef parse(String text) {
        throw new UnsupportedOperationException("TODO: reference parser");
    }
}
