package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.sigstore.ImageVerdict;
import dev.qmt4j.sigstore.SigstoreVerifier;
import dev.qmt4j.sigstore.ImagePolicy;
import dev.qmt4j.sigstore.certs.CertificateIdentity;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j verify REF}: resolve REF once, verify its signatures under the policy (flags, else config)
 * and print who signed it: identity, issuer, Rekor log index and integrated time (or the key fingerprint).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify the cosign signature of a plugin image without pulling it.",
                "Prints the signer identity, issuer, transparency-log index and integrated time of the signature",
                "that satisfied the policy (for a key: its fingerprint). Exit 8 if none does."})
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Parameters(index = "0", paramLabel = "REF", description = "The image reference (tag or digest).")
    String reference;

    @Mixin
    PolicyOptions policy;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        CliContext context = root.context;
        ImageRef ref = ImageRef.parse(reference);
        Services services = context.services();
        SigstoreVerifier verifier = services.sigstoreVerifier(policy.flags());
        ImageVerdict verdict;
        try (ImageSource source = services.source(ref)) {
            ManifestBlob top = source.resolve();
            Digest digest = top.digest();
            if (ref.digest().isPresent() && !ref.digest().get().equals(digest)) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, source.describe() + " returned manifest " + digest + " for " + ref.canonical());
            }
            verdict = verifier.check(source, ref, digest);
        }
        if (verdict instanceof ImageVerdict.Refused r) {
            verifier.trustRootNotice().ifPresent(n -> context.err().println("warning: " + n));
            throw new Qmt4jException(ErrorKind.VERIFICATION, "signature verification of " + ref.canonical() + " failed: " + r.message(),
                    "check the signer your policy names against the identities found above");
        }
        ImageVerdict.Accepted a = (ImageVerdict.Accepted) verdict;
        verifier.trustRootNotice().ifPresent(n -> context.err().println("warning: " + n));
        Map<String, Object> m = toJson(ref, a);
        m.put("trustRoot", verifier.trustRootSource().orElse("(not needed)"));
        if (json) {
            context.out().println(Json.write(m));
        } else {
            for (Map.Entry<String, Object> e : m.entrySet()) {
                context.out().println(e.getKey() + ": " + e.getValue());
            }
        }
        return 0;
    }

    static Map<String, Object> toJson(ImageRef ref, ImageVerdict.Accepted a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", ref.canonical());
        m.put("digest", a.digest().toString());
        if (a.policy() instanceof ImagePolicy.Keyed k) {
            m.put("key", CosignKeys.fingerprint(k.key()));
        }
        a.details().identity().ifPresent((CertificateIdentity id) -> {
            m.put("identity", id.subject());
            m.put("issuer", id.issuer().orElse(""));
            id.githubWorkflowRepository().ifPresent(r -> m.put("githubWorkflowRepository", r));
        });
        m.put("logIndex", a.details().logIndex().orElse(null));
        m.put("integratedTime", a.details().integratedTime().map(Object::toString).orElse(null));
        m.put("signature", a.signature());
        return m;
    }
}
