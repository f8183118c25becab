package dev.qmt4j.sigstore.policy;

import dev.qmt4j.sigstore.certs.CertificateIdentity;
import dev.qmt4j.sigstore.certs.FulcioExtensions;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A keyless identity constraint with cosign semantics (docs/verification.md, "Policy"): a SAN matcher (identity) AND an
 * issuer matcher AND, optionally, exact values of Sigstore extensions (e.g. the GitHub workflow
 * repository, OID .1.5). All must hold on the same certificate.
 *
 * @param identity matcher for the certificate's SAN (email, URI or username); at least one SAN must match
 * @param issuer matcher for the OIDC issuer (.1.8, else .1.1)
 * @param extensions exact required values of Sigstore extensions, OID to value; a missing extension fails
 */
public record IdentityPolicy(StringMatcher identity, StringMatcher issuer, Map<String, String> extensions) {
    public IdentityPolicy {
        Objects.requireNonNull(identity, "identity (keyless verification needs an identity constraint)");
        Objects.requireNonNull(issuer, "issuer (keyless verification needs an issuer constraint)");
        extensions = Map.copyOf(extensions);
    }

    /** Exact identity and exact issuer ({@code --certificate-identity}, {@code --certificate-oidc-issuer}). */
    public static IdentityPolicy exact(String identity, String issuer) {
        return new IdentityPolicy(StringMatcher.exact(identity), StringMatcher.exact(issuer), Map.of());
    }

    /** Any identity/issuer matchers. */
    public static IdentityPolicy of(StringMatcher identity, StringMatcher issuer) {
        return new IdentityPolicy(identity, issuer, Map.of());
    }

    /** This policy plus an exact OID .1.5 (GitHub workflow repository, e.g. {@code querymt/querymt}). */
    public IdentityPolicy withGithubWorkflowRepository(String repository) {
        return withExtension(FulcioExtensions.GITHUB_WORKFLOW_REPOSITORY, repository);
    }

    /** This policy plus an exact value for Sigstore extension {@code oid}. */
    public IdentityPolicy withExtension(String oid, String value) {
        Map<String, String> m = new LinkedHashMap<>(extensions);
        m.put(oid, value);
        return new IdentityPolicy(identity, issuer, m);
    }

    /** Checks {@code found} against every constraint. */
    public IdentityMatch match(CertificateIdentity found) {
        if (found.subjectAlternativeNames().stream().noneMatch(identity::test)) {
            return new IdentityMatch.Mismatch("certificate identity " + describe(found)
                    + " does not match the expected identity " + identity, found);
        }
        if (found.issuer().isEmpty() || !issuer.test(found.issuer().get())) {
            return new IdentityMatch.Mismatch("certificate issuer " + found.issuer().orElse("<none>")
                    + " does not match the expected issuer " + issuer, found);
        }
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            String actual = found.extensions().get(e.getKey());
            if (!e.getValue().equals(actual)) {
                return new IdentityMatch.Mismatch("certificate extension " + name(e.getKey()) + " is "
                        + (actual == null ? "missing" : actual) + ", expected " + e.getValue(), found);
            }
        }
        return new IdentityMatch.Match(found);
    }

    /**
     * Reads the identity of {@code cert} and checks it.
     *
     * @return a mismatch (never an exception) if the certificate's Sigstore extensions are malformed
     */
    public IdentityMatch match(X509Certificate cert) {
        try {
            return match(FulcioExtensions.identity(cert));
        } catch (VerificationException e) {
            return new IdentityMatch.Mismatch(e.getMessage(),
                    FulcioExtensions.identityOrEmpty(cert).orElse(null));
        }
    }

    private static String describe(CertificateIdentity id) {
        return id.subjectAlternativeNames().isEmpty() ? "<none>" : String.join(", ", id.subjectAlternativeNames());
    }

    private static String name(String oid) {
        return oid.equals(FulcioExtensions.GITHUB_WORKFLOW_REPOSITORY) ? "github_workflow_repository (" + oid + ")" : oid;
    }

    @Override
    public String toString() {
        return "identity=" + identity + " issuer=" + issuer + (extensions.isEmpty() ? "" : " " + extensions);
    }
}
