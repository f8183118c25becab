package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code qmt4j pull} shows when the blob download is cut off and resumed: the real registry
 * behind a fault proxy that cuts the first blob body halfway.
 */
class CliResumeTest {
    private static final int SIZE = 600_000;

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path tmp;

    private FaultProxy proxy;
    private Path wasm;
    private String ref;
    private Predicate<FaultProxy.Request> blobGet;

    @BeforeEach
    void publishAndCut() throws IOException {
        Cli cli = new Cli(tmp.resolve("push-cache"));
        wasm = Fixtures.wasm(tmp, "plugin.wasm", SIZE - 8, 21);
        assertEquals(0, cli.run("push", "oci://" + registry.host() + "/cli/resume:1", "--wasm", wasm.toString()).exitCode());
        proxy = FaultProxy.to(registry.host());
        blobGet = FaultProxy.request("GET", "/blobs/" + Fixtures.sha256(wasm));
        proxy.inject(blobGet, Fault.truncateAfter(SIZE / 2), 1);
        ref = "oci://" + proxy.host() + "/cli/resume:1";
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void theBarEndsAtTheBlobSizeNotAboveIt() throws IOException {
        Cli.Result pull = new Cli(tmp.resolve("cache")).terminal(true).run("pull", "--insecure-skip-signature", ref);

        assertEquals(0, pull.exitCode(), pull::toString);
        assertEquals(Fixtures.sha256(wasm), Fixtures.sha256(Path.of(pull.out().strip())));
        assertResumedAtHalf();
        // The last rendering: 100%, done == total == the blob's KiB (bytes counted twice would show more).
        Matcher m = Pattern.compile("(?s).*\r\\S+ +100% \\[=+\\] (\\d+)/(\\d+)KiB.*").matcher(pull.err());
        assertTrue(m.matches(), pull::toString);
        assertEquals(m.group(1), m.group(2), pull.err());
        assertEquals(SIZE / 1024, Integer.parseInt(m.group(2)), pull.err());
    }

    @Test
    void plainLinesShowEachQuarterOnce() throws IOException {
        Cli.Result pull = new Cli(tmp.resolve("cache")).run("pull", "--insecure-skip-signature", ref);

        assertEquals(0, pull.exitCode(), pull::toString);
        assertResumedAtHalf();
        List<String> percents = pull.err().lines().filter(l -> l.matches(" +\\d+% \\(.*")).map(l -> l.strip().split(" ")[0])
                .toList();
        assertEquals(List.of("25%", "50%", "75%", "100%"), percents, pull.toString());
        assertEquals(1, pull.err().lines().filter(l -> l.startsWith("downloading ")).count(), pull.toString());
    }

    private void assertResumedAtHalf() {
        List<FaultProxy.Request> gets = proxy.requests().stream().filter(blobGet).toList();
        assertEquals(2, gets.size());
        assertEquals(Optional.of("bytes=" + (SIZE / 2) + "-"), gets.get(1).header("Range"));
        assertEquals(SIZE, proxy.bodyBytesSent(blobGet));
    }
}
