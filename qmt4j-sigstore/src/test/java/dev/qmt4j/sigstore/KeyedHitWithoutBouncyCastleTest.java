package dev.qmt4j.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.layout.OciLayoutSource;
import dev.qmt4j.pull.PluginPuller;
import dev.qmt4j.pull.PullListener;
import dev.qmt4j.pull.PullRequest;
import dev.qmt4j.pull.PullResult;
import dev.qmt4j.testkit.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed signed pull and its cache hit verify with the JDK alone: no BouncyCastle class is
 * loaded, so the JVM never checks the signature of the bcprov jar (0.2-0.4 s of CPU). Checked in a
 * child JVM ({@link ChildJvm}), on the example layout signed with the example key.
 */
class KeyedHitWithoutBouncyCastleTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void aKeyedPullAndHitLoadNoBouncyCastleClass() throws Exception {
        Path cache = tmp.resolve("cache");
        List<String> args = List.of(cache.toString(), ROOT.resolve("examples/layout").toString(),
                ROOT.resolve("examples/keys/cosign.pub").toString());
        for (String expected : List.of("PULLED false", "PULLED true")) { // a cold verified pull, then the offline re-verified hit
            ChildJvm.Run run = ChildJvm.run(KeyedPullMain.class, args);
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.output().contains(expected), run.output());
            assertTrue(run.loadedClasses().contains("dev.qmt4j.sigstore.LegacyLayerVerifier"), "the signature was checked");
            assertEquals(List.of(), run.loaded("org.bouncycastle").stream().limit(3).toList());
            assertFalse(run.loadedClasses().contains("java.util.jar.JarVerifier$VerifierStream"), "no signed jar was checked");
        }
    }

    /** The child JVM: one keyed pull of the layout, then exit. */
    public static final class KeyedPullMain {
        public static void main(String[] args) {
            SigstoreVerifier verifier = new SigstoreVerifier(new PolicyResolver(VerifyPolicySettings.none(),
                    r -> Optional.empty(), new PolicyFlags(Optional.of(Path.of(args[2])), Optional.empty(), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())), () -> {
                        throw new AssertionError("a keyed policy needs no trust root");
                    });
            PluginPuller puller = PluginPuller.builder()
                    .cache(PluginCache.open(Path.of(args[0])))
                    .sources(r -> new OciLayoutSource((LayoutRef) r))
                    .verifier(verifier)
                    .build();
            LayoutRef ref = new LayoutRef(Path.of(args[1]), Optional.of("0.1.0"), Optional.empty());
            PullResult r = puller.pull(new PullRequest(ref, Optional.empty(), Optional.empty(), false, false), PullListener.NONE);
            System.out.println("PULLED " + r.cached());
        }
    }
}
