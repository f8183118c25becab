package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.sigstore.cosign.CosignKeyPair;
import dev.qmt4j.sigstore.cosign.CosignKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code qmt4j generate-key-pair}: an ECDSA P-256 pair as {@code cosign generate-key-pair} writes it. */
@Command(name = "generate-key-pair", mixinStandardHelpOptions = true,
        description = {"Write PREFIX.key (encrypted ENCRYPTED SIGSTORE PRIVATE KEY, scrypt + secretbox) and PREFIX.pub.",
                "The password is read from COSIGN_PASSWORD, else prompted for twice on the console."})
final class GenerateKeyPairCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Option(names = "--output-key-prefix", paramLabel = "PREFIX", defaultValue = "cosign",
            description = "File name prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Override
    public Integer call() {
        CliContext context = root.context;
        Path priv = Path.of(prefix + ".key");
        Path pub = Path.of(prefix + ".pub");
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p)) {
                throw new Qmt4jException(ErrorKind.USAGE, p + " already exists", "remove it or choose another --output-key-prefix");
            }
        }
        char[] password = Passwords.read(context, "Enter password for private key: ", true);
        CosignKeyPair pair = CosignKeys.generate();
        try {
            Files.writeString(priv, CosignKeys.writePrivateKey(pair.privateKey(), password), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(priv, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(pub, CosignKeys.publicKeyPem(pair.publicKey()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.USAGE, "cannot write the key pair: " + e.getMessage());
        }
        context.info("Private key written to " + priv + "\nPublic key written to " + pub);
        context.out().println(CosignKeys.fingerprint(pair.publicKey()));
        return 0;
    }
}
