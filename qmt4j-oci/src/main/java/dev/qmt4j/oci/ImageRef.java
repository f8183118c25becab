package dev.qmt4j.oci;

import java.util.Optional;

/**
 * Where a plugin image lives: a repository in a registry ({@code oci://}) or a directory in OCI
 * image-layout format ({@code oci-layout://}). A reference is a value with exactly one canonical
 * form, {@link #canonical()}, which is what the cache uses as a key.
 */
public sealed interface ImageRef permits RegistryRef, LayoutRef {

    /** The tag, if the reference names one (registry references default to {@code latest}). */
    Optional<String> tag();

    /** The digest, if the reference pins one. */
    Optional<Digest> digest();

    /** The one canonical spelling, with scheme, e.g. {@code oci://docker.io/library/x:latest}. */
    String canonical();

    /** The same image pinned to {@code digest} (the tag is kept for display). */
    ImageRef withDigest(Digest digest);

    /**
     * Parses {@code oci://...}, {@code oci-layout://...}, or a bare registry reference
     * ({@code ghcr.io/org/plugin:tag}). Throws a {@code USAGE} error pointing at the bad part.
     */
    static ImageRef parse(String text) {
        return ImageRefParser.parse(text);
    }
}
