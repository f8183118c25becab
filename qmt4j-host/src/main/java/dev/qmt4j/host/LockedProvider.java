package dev.qmt4j.host;

import dev.qmt4j.oci.Signer;
import java.util.List;
import java.util.Optional;

/**
 * One provider as a lockfile records it (docs/locking.md): keyed by its {@link #name()} and the
 * {@link #reference()} exactly as the config writes it ({@code path}), never by the config file.
 */
public sealed interface LockedProvider {

    /** The provider's {@code name}. */
    String name();

    /** The provider's {@code path} as written in the config. */
    String reference();

    /**
     * An OCI provider, pinned.
     *
     * @param tag        the tag the reference resolved (empty for a digest reference)
     * @param digest     the top manifest's digest: the pin
     * @param platforms  every platform of an index (one entry without platform for a single manifest), in index order
     * @param signer     who signed the pinned digest (as the verifier established it), empty when verification was skipped
     * @param signatures digests of the signature artifacts that verified (cosign {@code .sig} manifest or bundle referrer), sorted
     */
    record Oci(String name, String reference, Optional<String> tag, String digest, List<LockedPlatform> platforms,
            Optional<Signer> signer, List<String> signatures) implements LockedProvider {
        public Oci {
            platforms = List.copyOf(platforms);
            signatures = signatures.stream().sorted().distinct().toList();
        }
    }

    /**
     * A local file or an {@code https://} download, recorded by its content.
     *
     * @param sha256 lower-case hex SHA-256 of the plugin file
     */
    record File(String name, String reference, String sha256) implements LockedProvider {}

    /**
     * One plugin build of an index (or the single manifest).
     *
     * @param platform {@code os/arch[/variant]}, empty for a single manifest
     * @param manifest the platform manifest's digest
     * @param type     {@code wasm} or {@code native}
     * @param layer    the plugin layer's digest
     */
    record LockedPlatform(Optional<String> platform, String manifest, String type, String layer) {}
}
