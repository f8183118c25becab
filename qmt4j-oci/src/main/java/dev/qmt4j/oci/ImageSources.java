package dev.qmt4j.oci;

import dev.qmt4j.oci.layout.OciLayoutSource;
import dev.qmt4j.oci.layout.OciLayoutTarget;
import dev.qmt4j.oci.registry.RegistryClient;

/** Opens the right {@link ImageSource} or {@link ImageTarget} for a reference. */
public final class ImageSources {
    private ImageSources() {}

    /** A registry repository through {@code client} (and its mirrors), or an OCI layout directory. */
    public static ImageSource open(ImageRef ref, RegistryClient client) {
        if (ref instanceof RegistryRef r) {
            return client.open(r);
        }
        return new OciLayoutSource((LayoutRef) ref);
    }

    /** Where {@code ref} can be pushed to: a registry repository or an OCI layout directory. */
    public static ImageTarget openTarget(ImageRef ref, RegistryClient client) {
        if (ref instanceof RegistryRef r) {
            return client.target(r);
        }
        return new OciLayoutTarget((LayoutRef) ref);
    }
}
