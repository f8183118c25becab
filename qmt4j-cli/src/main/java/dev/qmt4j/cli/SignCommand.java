package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
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

    @Option(names = "--bundle", description = "Also attach a Sigstore bundle as an OCI referrer (not implemented yet).")
    boolean bundle;

    @Override
    public Integer call() {
        CliContext context = root.context;
        if (bundle) {
            throw new Qmt4jException(ErrorKind.USAGE, "--bundle (Sigstore bundle referrers) is not implemented yet",
                    "sign without --bundle: the legacy .sig layout is what QueryMT's CI writes");
        }
        ImageRef ref = ImageRef.parse(reference);
        CosignKeyPair pair = CosignKeys.readPrivateKey(read(key), Passwords.read(context, "Enter password for private key: ", false));
        Services services = context.services();
        LegacySigner.Signed signed;
        Digest digest;
        try (ImageSource source = services.source(ref); ImageTarget target = services.target(ref)) {
            digest = source.resolve().digest();
            if (ref.digest().isPresent() && !ref.digest().get().equals(digest)) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, source.describe() + " returned manifest " + digest + " for " + ref.canonical());
            }
            String dockerRef = ref instanceof RegistryRef r ? r.name() : ref.canonical();
            signed = LegacySigner.sign(source, target, digest, dockerRef, pair.privateKey(), annotations());
        }
        context.info("signed " + digest + " with key " + CosignKeys.fingerprint(pair.publicKey()) + " (tag " + signed.tag() + ")");
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
