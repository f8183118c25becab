package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LockedProvider;
import dev.qmt4j.host.LockedProvider.LockedPlatform;
import dev.qmt4j.host.PluginSource;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginImage;
import dev.qmt4j.oci.PluginSelector;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.Signer;
import dev.qmt4j.sigstore.ImageVerdict;
import dev.qmt4j.sigstore.PolicyFlags;
import dev.qmt4j.sigstore.SigstoreVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves one provider into its lockfile entry (docs/locking.md): an OCI reference is resolved once,
 * every platform of its index is read by digest, and the pinned digest is verified under the provider's
 * policy, recording the signer and the signature artifacts that satisfied it; a local or {@code https://}
 * plugin is recorded by its SHA-256.
 */
final class LockResolver {
    private final Services services;
    private SigstoreVerifier verifier;

    LockResolver(Services services) {
        this.services = services;
    }

    /**
     * @param name      the provider's name
     * @param reference its {@code path} as written
     * @param source    its parsed source
     * @return the entry, or empty for an {@code https://} plugin without a {@code sha256} pin (the caller downloads
     *     and hashes it: {@link dev.qmt4j.host.PluginRegistry#fileDigest})
     */
    Optional<LockedProvider> resolve(String name, String reference, PluginSource source) {
        if (source instanceof PluginSource.LocalFile f) {
            return Optional.of(new LockedProvider.File(name, reference, Digest.sha256(f.file()).hex()));
        }
        if (source instanceof PluginSource.Url u) {
            return u.sha256().map(h -> new LockedProvider.File(name, reference, h.toLowerCase(java.util.Locale.ROOT)));
        }
        return Optional.of(oci(name, reference, ((PluginSource.Oci) source).reference()));
    }

    private LockedProvider.Oci oci(String name, String reference, ImageRef ref) {
        try (ImageSource source = services.source(ref)) {
            ManifestBlob top = source.resolve();
            Digest digest = top.digest();
            if (ref.digest().isPresent() && !ref.digest().get().equals(digest)) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, "provider '" + name + "': " + source.describe()
                        + " returned manifest " + digest + " for " + ref.canonical());
            }
            List<LockedPlatform> platforms = platforms(source, top);
            Optional<Signer> signer = Optional.empty();
            List<String> signatures = List.of();
            if (!services.skipSignature(false)) {
                if (verifier == null) {
                    verifier = services.sigstoreVerifier(PolicyFlags.none());
                }
                ImageVerdict verdict = verifier.check(source, ref, digest);
                if (verdict instanceof ImageVerdict.Refused r) {
                    throw new Qmt4jException(ErrorKind.VERIFICATION, "provider '" + name + "': signature verification of "
                            + ref.canonical() + " failed: " + r.message(),
                            "nothing was locked; check that the plugin is signed by the signer your policy names");
                }
                ImageVerdict.Accepted a = (ImageVerdict.Accepted) verdict;
                // The same structured signer the verifier gives a pull, so locked mode compares like with like.
                signer = Optional.of(SigstoreVerifier.signer(a));
                signatures = signatureArtifacts(a);
            }
            return new LockedProvider.Oci(name, reference, tag(ref), digest.toString(), platforms, signer, signatures);
        }
    }

    /** Every platform of an index (entries without a platform are not plugins and are left out), or the single manifest. */
    private static List<LockedPlatform> platforms(ImageSource source, ManifestBlob top) {
        List<LockedPlatform> out = new ArrayList<>();
        if (top.parse() instanceof ImageIndex index) {
            for (Descriptor d : index.manifests()) {
                if (d.platform().isEmpty()) {
                    continue;
                }
                Platform p = d.platform().get();
                // Only this entry's child: the selector fetches by digest and checks digest and size.
                ManifestBlob one = source.manifest(d.digest());
                PluginImage image = PluginSelector.select(top, x -> x.equals(d.digest()) ? one : source.manifest(x),
                        Platform.host(), Optional.of(p));
                out.add(new LockedPlatform(Optional.of(p.toString()), image.manifestDigest().toString(), image.type().id(),
                        image.layer().digest().toString()));
            }
            return out;
        }
        PluginImage image = PluginSelector.select(top, source::manifest, Platform.host(), Optional.empty());
        out.add(new LockedPlatform(Optional.empty(), image.manifestDigest().toString(), image.type().id(),
                image.layer().digest().toString()));
        return out;
    }

    /**
     * The artifacts that carried the accepted signature: a bundle's referrer manifest, or the cosign
     * {@code sha256-<hex>.sig} manifest holding the accepted layer.
     */
    private static List<String> signatureArtifacts(ImageVerdict.Accepted a) {
        boolean bundle = a.bundles().bundles().stream().anyMatch(c -> c.referrer().equals(a.signatureDigest()));
        if (bundle) {
            return List.of(a.signatureDigest().toString());
        }
        return a.signatures().manifest().map(m -> List.of(m.digest().toString())).orElse(List.of());
    }

    private static Optional<String> tag(ImageRef ref) {
        if (ref instanceof RegistryRef r) {
            return r.digest().isPresent() ? Optional.empty() : r.tag();
        }
        LayoutRef l = (LayoutRef) ref;
        return l.digest().isPresent() ? Optional.empty() : l.tag();
    }
}
