package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import java.util.List;
import java.util.Map;

/** Registry access for the CLI, kept in its own class so the HTTP stack loads only when needed. */
final class RegistrySources {
    RegistrySources(List<String> insecureRegistries, Map<String, String> env) {}

    ImageSource source(RegistryRef ref) {
        throw unavailable(ref);
    }

    ImageTarget target(RegistryRef ref) {
        throw unavailable(ref);
    }

    private static Qmt4jException unavailable(RegistryRef ref) {
        return new Qmt4jException(ErrorKind.NETWORK, "registry client not wired yet for " + ref);
    }
}
