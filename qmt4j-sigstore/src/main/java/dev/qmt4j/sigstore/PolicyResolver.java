package dev.qmt4j.sigstore;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.sigstore.cosign.CosignPublicKeys;
import dev.qmt4j.sigstore.policy.IdentityPolicy;
import dev.qmt4j.sigstore.policy.StringMatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides which policy applies to a reference (docs/verification.md, "Policy"), in this order: command-line
 * flags; the provider's {@code verify} block; the {@code [oci]} keys; the built-in policy for
 * {@code ghcr.io/querymt/*} (GitHub Actions issuer, workflow repository {@code querymt/querymt});
 * otherwise {@link PolicyDecision.NoPolicy}. There is no global default identity.
 *
 * <p>Key meanings: {@code cert_email} / {@code cert_url} exact SAN, {@code cert_identity_regexp} SAN
 * regexp (unanchored search, as cosign); {@code cert_issuer} / {@code cert_issuer_regexp} issuer;
 * {@code github_workflow_repository} exact OID .1.5 (and, with no SAN key, implies the identity
 * regexp {@code ^https://github\.com/<repo>/} and, with no issuer key, the GitHub Actions issuer);
 * {@code public_key} keyed verification ({@code require_tlog}, default false, asks for a Rekor entry).
 */
public final class PolicyResolver {
    /** GitHub Actions' OIDC issuer. */
    public static final String GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
    /** The repository QueryMT's CI signs from. */
    public static final String QUERYMT_REPOSITORY = "querymt/querymt";

    private final VerifyPolicySettings global;
    private final Function<ImageRef, Optional<VerifyPolicySettings>> providers;
    private final PolicyFlags flags;

    /**
     * @param global    the {@code [oci]} keys
     * @param providers the {@code verify} block of the provider a reference belongs to, if any
     * @param flags     command-line overrides
     */
    public PolicyResolver(VerifyPolicySettings global, Function<ImageRef, Optional<VerifyPolicySettings>> providers,
            PolicyFlags flags) {
        this.global = global;
        this.providers = providers;
        this.flags = flags;
    }

    /**
     * The policy for {@code ref}, with the required annotations of the block it comes from plus
     * those of {@code -a}. Throws {@code CONFIG} for contradictory settings.
     */
    public PolicyDecision resolve(ImageRef ref) {
        PolicyDecision d = resolveSigner(ref);
        if (d instanceof PolicyDecision.Apply a && !flags.annotations().isEmpty()) {
            d = new PolicyDecision.Apply(a.policy().withAnnotations(flags.annotations()), a.origin());
        }
        if (d instanceof PolicyDecision.Apply a) {
            d = new PolicyDecision.Apply(a.policy().withDockerReference(dockerReference(ref)), a.origin());
        }
        return d;
    }

    /**
     * The repository a legacy signature of {@code ref} must name in its docker-reference: {@code ref}'s
     * own (the name asked for, not wherever the bytes come from), unless {@code check_docker_reference
     * = false} in the provider's verify block (else {@code [oci]}). An oci-layout reference has no
     * repository (the directory's path differs from machine to machine), so nothing is compared.
     */
    private Optional<RegistryRef> dockerReference(ImageRef ref) {
        if (!(ref instanceof RegistryRef r)) {
            return Optional.empty();
        }
        boolean check = providers.apply(ref).flatMap(VerifyPolicySettings::checkDockerReference)
                .or(global::checkDockerReference).orElse(true);
        return check ? Optional.of(r) : Optional.empty();
    }

    private PolicyDecision resolveSigner(ImageRef ref) {
        if (flags.definesPolicy()) {
            return new PolicyDecision.Apply(fromFlags(flags), "command line");
        }
        Optional<VerifyPolicySettings> provider = providers.apply(ref);
        if (provider.isPresent()) {
            Optional<ImagePolicy> p = fromSettings(provider.get(), "provider verify block");
            if (p.isPresent()) {
                return new PolicyDecision.Apply(p.get(), "provider verify block");
            }
        }
        Optional<ImagePolicy> g = fromSettings(global, "[oci]");
        if (g.isPresent()) {
            return new PolicyDecision.Apply(g.get(), "[oci]");
        }
        if (isQueryMt(ref)) {
            return new PolicyDecision.Apply(queryMtPolicy(), "built-in policy for ghcr.io/querymt/*");
        }
        return new PolicyDecision.NoPolicy(suggestion(ref, List.of()));
    }

    /** The built-in policy of {@code ghcr.io/querymt/*}: QueryMT's CI identity. */
    public static ImagePolicy queryMtPolicy() {
        return new ImagePolicy.Keyless(new IdentityPolicy(
                StringMatcher.regexp("^https://github\\.com/querymt/querymt/\\.github/workflows/"),
                StringMatcher.exact(GITHUB_ACTIONS_ISSUER), Map.of())
                .withGithubWorkflowRepository(QUERYMT_REPOSITORY), true);
    }

    static boolean isQueryMt(ImageRef ref) {
        return ref instanceof RegistryRef r && r.registry().equals("ghcr.io") && r.repository().startsWith("querymt/");
    }

    /**
     * Where the trust root for {@code ref} comes from: {@code --trusted-root}; else the manual PEM flags;
     * else the provider's verify block if it sets a trust-root key; else {@code [oci]}. From a block:
     * any of {@code fulcio_certs} / {@code rekor_pub_keys} / {@code ctfe_pub_keys} makes a manual root
     * (never merged with TUF data); {@code use_sigstore_tuf_data = false} alone means the
     * embedded public-good snapshot; otherwise public good through TUF.
     */
    public TrustSource trustSource(ImageRef ref) {
        if (flags.trustedRoot().isPresent()) {
            return new TrustSource.File(flags.trustedRoot().get());
        }
        if (flags.definesManualTrustRoot()) {
            return new TrustSource.Manual(list(flags.fulcioCerts()), list(flags.rekorPubKeys()), list(flags.ctfePubKeys()));
        }
        VerifyPolicySettings s = ref == null ? global
                : providers.apply(ref).filter(VerifyPolicySettings::definesTrustRoot).orElse(global);
        if (s.fulcioCerts().isPresent() || s.rekorPubKeys().isPresent() || s.ctfePubKeys().isPresent()) {
            return new TrustSource.Manual(paths(s.fulcioCerts()), paths(s.rekorPubKeys()), paths(s.ctfePubKeys()));
        }
        return new TrustSource.PublicGood(s.useSigstoreTufData().orElse(true));
    }

    private static List<Path> list(Optional<Path> p) {
        return p.map(List::of).orElse(List.of());
    }

    private static List<Path> paths(Optional<String> p) {
        return p.map(Path::of).map(List::of).orElse(List.of());
    }

    /**
     * The refusal text when no policy applies: the two config lines that would accept the plugin,
     * tailored to the identities found on its signatures when there are any. Those come from
     * certificates that have <em>not</em> been verified (anyone can write any identity into one),
     * so the text says so; each identity is quoted literally as an anchored regexp (a SAN such as
     * {@code https://github.com/a/b|https://github.com/} must not become an alternation), and an
     * identity or issuer holding control or formatting characters is shown escaped and never
     * turned into a config line, so nothing from the certificate can drive the terminal or inject
     * TOML.
     */
    public static String suggestion(ImageRef ref, List<dev.qmt4j.sigstore.certs.CertificateIdentity> seen) {
        StringBuilder sb = new StringBuilder("no signature policy applies to ").append(ref.canonical())
                .append(" (qmt4j has no default signer outside ghcr.io/querymt/*). To accept it, add to the [oci] table")
                .append(" or to the provider's verify block the signer you trust");
        List<String> lines = new ArrayList<>();
        List<String> unsafe = new ArrayList<>();
        for (var id : seen) {
            String san = id.subject();
            if (san.isEmpty()) {
                continue;
            }
            String issuer = id.issuer().orElse(GITHUB_ACTIONS_ISSUER);
            if (hasControl(san) || hasControl(issuer)) {
                unsafe.add("    identity " + escapeControls(san) + " issuer " + escapeControls(issuer));
                continue;
            }
            String line = "    cert_identity_regexp = '^" + StringMatcher.quote(san) + "$'\n    cert_issuer = "
                    + tomlString(issuer);
            if (!lines.contains(line)) {
                lines.add(line);
            }
        }
        boolean claimed = !lines.isEmpty();
        if (lines.isEmpty()) {
            lines.add("    cert_identity_regexp = '^https://github\\.com/OWNER/REPO/'\n    cert_issuer = \"" + GITHUB_ACTIONS_ISSUER + "\"");
        }
        if (claimed) {
            sb.append(".\nIts signatures claim the identities below, read from certificates that have not been verified"
                    + " (anyone can write any identity into a certificate): add a line only for a signer you know and trust."
                    + " Each matches exactly one identity; widen it by hand (e.g. to every workflow of a repository) if you mean to:\n");
        } else {
            sb.append(", e.g.:\n");
        }
        sb.append(String.join("\n  or\n", lines));
        sb.append("\n  or, for a plugin signed with a cosign key:\n    public_key = \"/path/to/cosign.pub\"");
        if (!unsafe.isEmpty()) {
            sb.append("\nSignatures whose certificates, which have not been verified, hold control characters (shown escaped, not suggested):\n")
                    .append(String.join("\n", unsafe));
        }
        return sb.toString();
    }

    /** Control characters (C0, DEL, C1), Unicode format characters (bidi overrides) and line/paragraph separators. */
    private static boolean isControl(int c) {
        int t = Character.getType(c);
        return Character.isISOControl(c) || t == Character.FORMAT || t == Character.LINE_SEPARATOR
                || t == Character.PARAGRAPH_SEPARATOR;
    }

    private static boolean hasControl(String s) {
        return s.codePoints().anyMatch(PolicyResolver::isControl);
    }

    /** {@code s} with every control character written as {@code \\uXXXX}, safe to print. */
    static String escapeControls(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (isControl(c)) {
                sb.append(String.format("\\u%04X", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /** A TOML basic string (control characters are refused before this). */
    private static String tomlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static ImagePolicy fromFlags(PolicyFlags f) {
        VerifyPolicySettings s = new VerifyPolicySettings(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), f.issuer(), f.identity(), f.githubWorkflowRepository(), f.identityRegexp(),
                f.issuerRegexp(), f.key().map(Path::toString), Optional.empty(), java.util.Set.of());
        return fromSettings(s, "command line", false).orElseThrow(() -> new Qmt4jException(ErrorKind.USAGE,
                "keyless verification needs an identity: --certificate-identity or --certificate-identity-regexp"
                        + " (or --certificate-github-workflow-repository), or use --key"));
    }

    /**
     * The policy the keys of one block define, if they define one.
     *
     * @throws Qmt4jException {@code CONFIG} for contradictory or incomplete settings
     */
    public static Optional<ImagePolicy> fromSettings(VerifyPolicySettings s, String where) {
        return fromSettings(s, where, true);
    }

    /**
     * Whether these keys leave the issuer to QueryMT's default: {@code cert_email} or {@code cert_url} with
     * neither {@code cert_issuer} nor {@code cert_issuer_regexp} (nor {@code cert_issuer} set to null). Then
     * the issuer is GitHub Actions' ({@link #GITHUB_ACTIONS_ISSUER}), the default of QueryMT's
     * {@code OciDownloaderConfig.cert_issuer} (docs/verification.md).
     */
    public static boolean defaultsIssuer(VerifyPolicySettings s) {
        return (s.certEmail().isPresent() || s.certUrl().isPresent()) && s.publicKey().isEmpty()
                && s.certIssuer().isEmpty() && s.certIssuerRegexp().isEmpty()
                && !s.explicitlyUnset().contains("cert_issuer");
    }

    /** @param configDefaults QueryMT's config defaults apply (not to the cosign-style flags, which need an issuer). */
    private static Optional<ImagePolicy> fromSettings(VerifyPolicySettings s, String label, boolean configDefaults) {
        // file:line of the table when the config reader recorded it
        String where = s.originOr(label);
        List<String> sanKeys = new ArrayList<>();
        s.certEmail().ifPresent(v -> sanKeys.add("cert_email"));
        s.certUrl().ifPresent(v -> sanKeys.add("cert_url"));
        s.certIdentityRegexp().ifPresent(v -> sanKeys.add("cert_identity_regexp"));
        if (s.publicKey().isPresent()) {
            if (!sanKeys.isEmpty() || s.githubWorkflowRepository().isPresent()) {
                throw config(where + ": public_key cannot be combined with " + (sanKeys.isEmpty() ? "github_workflow_repository" : sanKeys.get(0))
                        + " (keyed and keyless verification are exclusive)");
            }
            Path file = Path.of(s.publicKey().get());
            String pem;
            try {
                pem = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw config(where + ": cannot read public_key " + file + ": " + e.getMessage());
            }
            return Optional.of(new ImagePolicy.Keyed(CosignPublicKeys.readPublicKey(pem), file.toString(),
                    s.requireTlog().orElse(false), s.annotations()));
        }
        if (sanKeys.size() > 1) {
            throw config(where + ": give one of cert_email, cert_url, cert_identity_regexp, not " + String.join(" and ", sanKeys));
        }
        if (s.certIssuer().isPresent() && s.certIssuerRegexp().isPresent()) {
            throw config(where + ": give cert_issuer or cert_issuer_regexp, not both");
        }
        Optional<String> repo = s.githubWorkflowRepository().filter(r -> !r.isEmpty());
        StringMatcher identity;
        if (s.certEmail().isPresent()) {
            identity = StringMatcher.exact(s.certEmail().get());
        } else if (s.certUrl().isPresent()) {
            identity = StringMatcher.exact(s.certUrl().get());
        } else if (s.certIdentityRegexp().isPresent()) {
            identity = regexp(s.certIdentityRegexp().get(), where, "cert_identity_regexp");
        } else if (repo.isPresent()) {
            identity = StringMatcher.regexp("^https://github\\.com/" + repo.get().replace(".", "\\.") + "/");
        } else {
            return Optional.empty();
        }
        StringMatcher issuer;
        if (s.certIssuer().isPresent()) {
            issuer = StringMatcher.exact(s.certIssuer().get());
        } else if (s.certIssuerRegexp().isPresent()) {
            issuer = regexp(s.certIssuerRegexp().get(), where, "cert_issuer_regexp");
        } else if (repo.isPresent() || (configDefaults && defaultsIssuer(s))) {
            issuer = StringMatcher.exact(GITHUB_ACTIONS_ISSUER);
        } else {
            throw config(where + ": keyless verification needs an issuer too: add cert_issuer = \"" + GITHUB_ACTIONS_ISSUER
                    + "\" (or the issuer of your signer)");
        }
        IdentityPolicy policy = new IdentityPolicy(identity, issuer, Map.of());
        if (repo.isPresent()) {
            policy = policy.withGithubWorkflowRepository(repo.get());
        }
        return Optional.of(new ImagePolicy.Keyless(policy, true, s.annotations()));
    }

    private static StringMatcher regexp(String re, String where, String key) {
        try {
            return StringMatcher.regexp(re);
        } catch (IllegalArgumentException e) {
            throw config(where + ": " + key + " is not a valid regular expression: " + e.getMessage());
        }
    }

    private static Qmt4jException config(String message) {
        return new Qmt4jException(ErrorKind.CONFIG, message);
    }
}
