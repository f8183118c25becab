package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.sigstore.cosign.BundleSigner;
import dev.qmt4j.sigstore.cosign.CosignKeyPair;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import dev.qmt4j.sigstore.cosign.LegacySigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j sign REF --key cosign.key}: a cosign-compatible keyed signature of the digest REF
 * resolves to, written as a layer of the {@code sha256-<hex>.sig} manifest in the same repository.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Sign a plugin image with a cosign private key (legacy .sig layout, as cosign sign --key).",
                "The password is read from COSIGN_PASSWORD, else prompted for on the console."})
final class SignCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Parameters(index = "0", paramLabel = "REF", description = "The image to sign (tag or digest).")
    String reference;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The encrypted cosign private key.")
    Path key;

    @Option(names = {"-a", "--annotation"}, paramLabel = "KEY=VALUE", description = "A payload annotation (repeatable).")
    List<String> annotations = List.of();

    @Option(names = "--bundle", description = "Write a Sigstore bundle v0.3 as an OCI referrer (cosign v3 layout) instead of a .sig layer.")
    boolean bundle;

    @Override
    public Integer call() {
        CliContext context = root.context;
        ImageRef ref = ImageRef.parse(reference);
        CosignKeyPair pair = CosignKeys.readPrivateKey(read(key), Passwords.read(context, "Enter password for private key: ", false));
        Services services = context.services();
        String where;
        Digest digest;
        // Signing rewrites the signature manifest it reads: both from the registry itself, never a mirror.
        try (ImageSource source = services.sourceForWrite(ref); ImageTarget target = services.target(ref)) {
            digest = source.resolve().digest();
            if (ref.digest().isPresent() && !ref.digest().get().equals(digest)) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, source.describe() + " returned manifest " + digest + " for " + ref.canonical());
            }
            String dockerRef = ref instanceof RegistryRef r ? r.name() : ref.canonical();
            if (bundle) {
                BundleSigner.Signed b = BundleSigner.sign(source, target, digest, pair.privateKey(), pair.publicKey());
                where = "referrer " + b.referrer();
            } else {
                where = "tag " + LegacySigner.sign(source, target, digest, dockerRef, pair.privateKey(), annotations()).tag();
            }
        }
        context.info("signed " + digest + " with key " + CosignKeys.fingerprint(pair.publicKey()) + " (" + where + ")");
        context.out().println(digest);
        return 0;
    }

    private Map<String, String> annotations() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String a : annotations) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new Qmt4jException(ErrorKind.USAGE, "annotation '" + a + "' is not KEY=VALUE");
            }
            m.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return m;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
