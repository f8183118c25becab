package dev.qmt4j.sigstore.certs;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity a Fulcio signing certificate asserts: its subject alternative names, the OIDC
 * issuer (read per https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md:
 * OID .1.8 if present, else .1.1; both present and different is an
 * error) and the Sigstore extensions under {@code 1.3.6.1.4.1.57264.1}. Obtain one with
 * {@link FulcioExtensions#identity(java.security.cert.X509Certificate)}.
 *
 * @param subjectAlternativeNames SAN values (email, URI, or otherName username), in certificate order
 * @param issuer the OIDC issuer, if any
 * @param extensions every Sigstore extension present, OID (dotted) to decoded string value (.1.1 to
 *     .1.6 raw UTF-8, .1.8 and later DER UTF8String)
 */
public record CertificateIdentity(List<String> subjectAlternativeNames, Optional<String> issuer,
        Map<String, String> extensions) {
    public CertificateIdentity {
        subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
        Objects.requireNonNull(issuer, "issuer");
        extensions = Map.copyOf(extensions);
    }

    /** The first SAN (Fulcio certificates carry exactly one), or "" if none. */
    public String subject() {
        return subjectAlternativeNames.isEmpty() ? "" : subjectAlternativeNames.get(0);
    }

    /** The value of a Sigstore extension by OID. */
    public Optional<String> extension(String oid) {
        return Optional.ofNullable(extensions.get(oid));
    }

    /** The GitHub workflow repository (deprecated OID .1.5, e.g. {@code querymt/querymt}). */
    public Optional<String> githubWorkflowRepository() {
        return extension(FulcioExtensions.GITHUB_WORKFLOW_REPOSITORY);
    }

    /** "identity=... issuer=..." as shown in refusals. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("identity=").append(subjectAlternativeNames.size() == 1 ? subject() : subjectAlternativeNames.toString());
        sb.append(" issuer=").append(issuer.orElse("<none>"));
        githubWorkflowRepository().ifPresent(r -> sb.append(" github_workflow_repository=").append(r));
        return sb.toString();
    }
}
