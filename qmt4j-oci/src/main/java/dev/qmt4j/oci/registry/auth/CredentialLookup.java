package dev.qmt4j.oci.registry.auth;

import java.nio.file.Path;
import java.util.Objects;

/** What a {@link CredentialStore} found for a registry, including why it found nothing when that matters. */
public sealed interface CredentialLookup {

    /** Credentials to send. */
    record Found(Credentials credentials) implements CredentialLookup {
        public Found {
            Objects.requireNonNull(credentials, "credentials");
        }
    }

    /** No credentials: go anonymous. */
    record None() implements CredentialLookup {}

    /**
     * The config names a credential helper that is not installed ({@code "credsStore": "desktop"} copied from a
     * laptop to a server without {@code docker-credential-desktop}). Requests go anonymous, so public images
     * still pull; if the registry then refuses, the error names the helper.
     *
     * @param program    the helper's executable, e.g. {@code docker-credential-desktop}
     * @param configKey  {@code credsStore} or {@code credHelpers}
     * @param configFile the file that names it
     */
    record HelperMissing(String program, String configKey, Path configFile) implements CredentialLookup {
        public HelperMissing {
            Objects.requireNonNull(program, "program");
            Objects.requireNonNull(configKey, "configKey");
            Objects.requireNonNull(configFile, "configFile");
        }

        /** {@code the credential helper docker-credential-desktop (credsStore in /home/me/.docker/config.json) is not installed}. */
        public String explanation() {
            return "the credential helper " + program + " (" + configKey + " in " + configFile + ") is not installed";
        }

        /** What to do about it. */
        public String hint(String registry) {
            return "install " + program + " on PATH, or remove \"" + configKey + "\" from " + configFile
                    + " and run 'docker login " + registry + "' so that the credentials are stored in the file itself";
        }
    }
}
