package dev.qmt4j.sigstore.cosign;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.ManifestCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Discovery of Sigstore bundles attached as OCI referrers (https://github.com/sigstore/cosign/blob/main/specs/BUNDLE_SPEC.md):
 * the referrers API, falling
 * back to the {@code sha256-<hex>} tag index only when the API answers 404. Each referrer manifest is
 * fetched by digest (checked), must name the digest as its {@code subject} and hold exactly one layer
 * whose media type starts with {@code application/vnd.dev.sigstore.bundle}; that blob is the bundle.
 *
 * @param index    the referrers index (API answer or fallback tag), if any
 * @param bundles  the candidate bundles (unverified)
 * @param problems why other referrers were skipped
 */
public record ReferrerBundles(Optional<ManifestBlob> index, List<Candidate> bundles, List<String> problems) {
    /** At most this many referrers are examined. */
    public static final int MAX_REFERRERS = 100;
    /** Bundles above this size are not downloaded. */
    public static final long MAX_BUNDLE_BYTES = 1024 * 1024;

    /** One bundle candidate: the referrer manifest it came from and the bundle JSON. */
    public record Candidate(Digest referrer, ManifestBlob manifest, byte[] bundle) {
        public String describe() {
            return "bundle referrer " + referrer;
        }
    }

    public ReferrerBundles {
        bundles = List.copyOf(bundles);
        problems = List.copyOf(problems);
    }

    /** No referrers index, no bundles, no problems: what was not looked up, or found nothing. */
    public static final ReferrerBundles NONE = new ReferrerBundles(Optional.empty(), List.of(), List.of());

    /** Looks up the referrers of {@code subject} through {@code source}. */
    public static ReferrerBundles discover(ImageSource source, Digest subject) {
        Optional<ManifestBlob> index = source.referrers(subject);
        if (index.isEmpty()) {
            index = source.manifestForTag(CosignAnnotations.referrersTag(subject));
        }
        if (index.isEmpty()) {
            return NONE;
        }
        return read(source, subject, index.get());
    }

    /** Reads the bundles an index lists (also used on stored evidence). */
    public static ReferrerBundles read(ImageSource source, Digest subject, ManifestBlob indexBlob) {
        List<Candidate> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Manifest parsed;
        try {
            parsed = ManifestCodec.parse(indexBlob.bytes(), indexBlob.mediaType(), source.describe() + " referrers index");
        } catch (Qmt4jException e) {
            return new ReferrerBundles(Optional.of(indexBlob), List.of(), List.of("referrers index: " + e.getMessage()));
        }
        if (!(parsed instanceof ImageIndex idx)) {
            return new ReferrerBundles(Optional.of(indexBlob), List.of(), List.of("referrers tag is not an image index"));
        }
        int seen = 0;
        for (Descriptor d : idx.manifests()) {
            if (!d.artifactType().orElse("").startsWith(CosignAnnotations.BUNDLE_MEDIA_TYPE_PREFIX)) {
                continue; // not a Sigstore bundle (attestations of other kinds, SBOMs, ...)
            }
            if (++seen > MAX_REFERRERS) {
                problems.add("more than " + MAX_REFERRERS + " bundle referrers; the rest ignored");
                break;
            }
            String where = "bundle referrer " + d.digest();
            try {
                ManifestBlob mb = source.manifest(d.digest());
                Manifest m = ManifestCodec.parse(mb.bytes(), mb.mediaType(), where);
                if (!(m instanceof ImageManifest im)) {
                    problems.add(where + ": not an image manifest");
                    continue;
                }
                if (im.subject().isEmpty() || !im.subject().get().digest().equals(subject)) {
                    problems.add(where + ": its subject is " + im.subject().map(s -> s.digest().toString()).orElse("missing")
                            + ", not " + subject);
                    continue;
                }
                if (im.layers().size() != 1 || !im.layers().get(0).mediaType().startsWith(CosignAnnotations.BUNDLE_MEDIA_TYPE_PREFIX)) {
                    problems.add(where + ": expected exactly one Sigstore bundle layer, found " + im.layers().size() + " layer(s)");
                    continue;
                }
                Descriptor layer = im.layers().get(0);
                if (layer.size() > MAX_BUNDLE_BYTES || layer.size() < 0) {
                    problems.add(where + ": bundle of " + layer.size() + " bytes exceeds the limit; not downloaded");
                    continue;
                }
                out.add(new Candidate(d.digest(), mb, LegacySignatures.fetchSmall(source, layer)));
            } catch (Qmt4jException e) {
                if (e.kind() != ErrorKind.INTEGRITY && e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
                problems.add(where + ": " + e.getMessage());
            }
        }
        return new ReferrerBundles(Optional.of(indexBlob), out, problems);
    }
}
