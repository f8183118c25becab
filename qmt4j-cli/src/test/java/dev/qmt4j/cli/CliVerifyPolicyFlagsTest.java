package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code -a k=v} on {@code verify}/{@code pull} (rejection case 18 of docs/verification.md), the trust-root flags and the trust root shown by verify. */
class CliVerifyPolicyFlagsTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path tmp;

    private Cli cli() {
        Cli cli = new Cli(tmp.resolve("cache"));
        cli.env().put("COSIGN_PASSWORD", "pw");
        cli.env().put("QMT4J_SIGSTORE_TUF_URL", "http://127.0.0.1:9/"); // never the internet
        return cli;
    }

    private String signed(Cli cli, String prefix, String... signArgs) throws IOException {
        assertEquals(0, cli.run("generate-key-pair", "--output-key-prefix", prefix).exitCode());
        Path wasm = Fixtures.wasm(tmp, "p.wasm", 3_000, 11);
        String ref = "oci://" + registry.host() + "/cli/annotated:1.0";
        assertEquals(0, cli.run("push", ref, "--wasm", wasm.toString()).exitCode());
        String[] args = new String[3 + signArgs.length];
        args[0] = "sign";
        args[1] = ref;
        args[2] = "--key=" + prefix + ".key";
        System.arraycopy(signArgs, 0, args, 3, signArgs.length);
        Cli.Result sign = cli.run(args);
        assertEquals(0, sign.exitCode(), sign::toString);
        return ref;
    }

    @Test
    void requiredAnnotationsOnVerifyAndPull_case18() throws IOException {
        Cli cli = cli();
        String prefix = tmp.resolve("k").toString();
        String ref = signed(cli, prefix, "-a", "env=prod");
        Cli.Result ok = cli.run("verify", ref, "--key", prefix + ".pub", "-a", "env=prod", "--json");
        assertEquals(0, ok.exitCode(), ok::toString);
        assertTrue(ok.out().contains("\"trustRoot\": \"(not needed)\""), ok.out());
        Cli.Result wrong = cli.run("verify", ref, "--key", prefix + ".pub", "-a", "env=dev");
        assertEquals(8, wrong.exitCode(), wrong::toString);
        assertTrue(wrong.err().contains("ANNOTATIONS") && wrong.err().contains("env=dev (found prod)"), wrong.err());
        Cli.Result pull = cli.run("pull", ref, "--key", prefix + ".pub", "--annotations", "team=ml");
        assertEquals(8, pull.exitCode(), pull::toString);
        assertTrue(pull.err().contains("team=ml (found none)"), pull.err());
    }

    @Test
    void trustedRootAndManualTrustRootFlagsAreExclusive() throws IOException {
        Cli cli = cli();
        Cli.Result r = cli.run("verify", "oci://" + registry.host() + "/cli/none:1.0", "--key", tmp.resolve("x.pub").toString(),
                "--trusted-root", tmp.resolve("trusted_root.json").toString(), "--ctfe-pub-keys", tmp.resolve("ct.pub").toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--trusted-root cannot be combined"), r.err());
    }
}
