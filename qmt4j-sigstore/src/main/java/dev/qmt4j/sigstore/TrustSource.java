package dev.qmt4j.sigstore;

import java.nio.file.Path;
import java.util.List;

/** Where the Sigstore trust root comes from (docs/verification.md): chosen by {@link PolicyResolver#trustSource}. */
public sealed interface TrustSource {

    /** A {@code trusted_root.json} file ({@code --trusted-root}); TUF is not consulted. */
    record File(Path path) implements TrustSource {}

    /**
     * A manual trust root from PEM files: {@code fulcio_certs}, {@code rekor_pub_keys},
     * {@code ctfe_pub_keys}; never merged with TUF data.
     */
    record Manual(List<Path> fulcioCerts, List<Path> rekorPubKeys, List<Path> ctfePubKeys) implements TrustSource {
        public Manual {
            fulcioCerts = List.copyOf(fulcioCerts);
            rekorPubKeys = List.copyOf(rekorPubKeys);
            ctfePubKeys = List.copyOf(ctfePubKeys);
        }
    }

    /**
     * Sigstore's public-good root: refreshed through TUF when {@code tuf} ({@code use_sigstore_tuf_data},
     * default true), else the snapshot embedded in the jar.
     */
    record PublicGood(boolean tuf) implements TrustSource {}
}
