package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.config.ConfigFile;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.Route;
import dev.qmt4j.oci.registry.RouteSource;
import dev.qmt4j.testkit.Skopeo;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [oci] registries_conf} read as containers/image reads it: for tag and digest references under each
 * {@code pull-from-mirror} mode (and {@code mirror-by-digest-only}, {@code blocked}, a drop-in that replaces an entry),
 * the order qmt4j resolves a reference on equals the order skopeo tries, with skopeo run on the same file as the
 * oracle. Every location is a closed port on 127.0.0.1, so skopeo tries each source in turn and gives up.
 */
class RegistriesConfOracleTest {
    private static final Pattern TRYING = Pattern.compile("Trying to access \\\\\"([^\\\\\"]+)\\\\\"");
    private static final String DIGEST = "@sha256:" + "ab".repeat(32);

    @TempDir
    Path tmp;

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** What skopeo tries, in order, for {@code ref} with {@code conf}. */
    private static List<String> skopeoOrder(Path conf, Path home, String ref) {
        List<String> cmd = List.of(Skopeo.BINARY.toString(), "--registries-conf", conf.toString(), "--debug", "inspect", "--raw",
                "--retry-times", "0", "docker://" + ref);
        String log;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("HOME", home.toString()); // skopeo reads drop-ins from ~/.config/containers/registries.conf.d
            Process p = pb.start();
            log = new String(p.getInputStream().readAllBytes());
            p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        List<String> tried = new ArrayList<>();
        Matcher m = TRYING.matcher(log);
        while (m.find()) {
            tried.add(m.group(1));
        }
        assertTrue(!tried.isEmpty(), "skopeo tried nothing:\n" + log);
        return tried;
    }

    private static List<String> ours(Route route) {
        List<String> out = new ArrayList<>();
        for (RouteSource s : route.forReference()) {
            RegistryRef r = s.ref();
            out.add(r.name() + r.digest().map(d -> "@" + d).orElseGet(() -> ":" + r.tag().orElseThrow()));
        }
        return out;
    }

    @Test
    void routingOrderMatchesSkopeo() throws IOException {
        int primary = closedPort();
        int digestOnly = closedPort();
        int tagOnly = closedPort();
        int all = closedPort();
        Path conf = Files.writeString(tmp.resolve("registries.conf"), """
                unqualified-search-registries = ["docker.io"]

                [[registry]]
                prefix = "127.0.0.1:%1$d/team"
                location = "127.0.0.1:%1$d/team"
                insecure = true
                [[registry.mirror]]
                location = "127.0.0.1:%2$d/by-digest"
                pull-from-mirror = "digest-only"
                insecure = true
                [[registry.mirror]]
                location = "127.0.0.1:%3$d/by-tag"
                pull-from-mirror = "tag-only"
                insecure = true
                [[registry.mirror]]
                location = "127.0.0.1:%4$d/any"
                insecure = true

                [[registry]]
                prefix = "127.0.0.1:%1$d/legacy"
                location = "127.0.0.1:%1$d/legacy"
                insecure = true
                mirror-by-digest-only = true
                [[registry.mirror]]
                location = "127.0.0.1:%2$d/legacy"
                insecure = true

                [[registry]]
                prefix = "127.0.0.1:%1$d/sealed"
                location = "127.0.0.1:%1$d/sealed"
                blocked = true
                insecure = true
                [[registry.mirror]]
                location = "127.0.0.1:%4$d/sealed"
                insecure = true

                [[registry]]
                prefix = "127.0.0.1:%1$d/replaced"
                location = "127.0.0.1:%1$d/replaced"
                insecure = true

                [[registry]]
                prefix = "*.qmt4j.test"
                [[registry.mirror]]
                location = "127.0.0.1:%4$d/wild"
                insecure = true

                [[registry]]
                prefix = "b.qmt4j.test/team"
                location = "b.qmt4j.test/team"
                [[registry.mirror]]
                location = "127.0.0.1:%2$d/exact"
                pull-from-mirror = "digest-only"
                insecure = true
                """.formatted(primary, digestOnly, tagOnly, all));
        // A drop-in replaces the entry with the same prefix (containers-registries.conf.d(5)).
        Files.createDirectories(tmp.resolve("registries.conf.d"));
        Path dropIn = Files.writeString(tmp.resolve("registries.conf.d/10-replace.conf"), """
                [[registry]]
                prefix = "127.0.0.1:%1$d/replaced"
                location = "127.0.0.1:%1$d/replaced"
                insecure = true
                [[registry.mirror]]
                location = "127.0.0.1:%2$d/replaced"
                pull-from-mirror = "tag-only"
                insecure = true
                """.formatted(primary, tagOnly));
        // skopeo --registries-conf reads drop-ins from its user directory, qmt4j from next to the file: the same file in both.
        Path home = tmp.resolve("home");
        Path skopeoDropIns = Files.createDirectories(home.resolve(".config/containers/registries.conf.d"));
        Files.copy(dropIn, skopeoDropIns.resolve("10-replace.conf"));
        Path qmt = Files.writeString(tmp.resolve("qmt.toml"), "[oci]\nregistries_conf = \"registries.conf\"\n");
        OciConnections oci = new OciConnections(ConfigFile.load(qmt).oci(), Map.of(), tmp);

        int compared = 0;
        for (String repo : List.of("team", "legacy", "sealed", "replaced")) {
            for (String suffix : List.of(":1", DIGEST)) {
                String ref = "127.0.0.1:" + primary + "/" + repo + "/plugin" + suffix;
                Route route = oci.routes().route((RegistryRef) ImageRef.parse(ref));
                List<String> skopeo = new ArrayList<>(skopeoOrder(tmp.resolve("registries.conf"), home, ref));
                if (route.blocked()) {
                    // skopeo lists the blocked location last and then refuses it without a request; qmt4j leaves it out.
                    assertEquals(route.primary().name() + suffix, skopeo.remove(skopeo.size() - 1));
                }
                assertEquals(skopeo, ours(route), ref);
                compared++;
            }
        }
        // Wildcard prefixes: a host under the domain, the longest prefix string winning (exact beats wildcard here).
        for (String ref : List.of("a.qmt4j.test/team/p:1", "x.a.qmt4j.test/p" + DIGEST, "b.qmt4j.test/team/p:1",
                "b.qmt4j.test/team/p" + DIGEST, "b.qmt4j.test/other/p:1", "qmt4j.test/p:1")) {
            Route route = oci.routes().route((RegistryRef) ImageRef.parse(ref));
            assertEquals(skopeoOrder(tmp.resolve("registries.conf"), home, ref), ours(route), ref);
            compared++;
        }
        assertEquals(14, compared);
    }
}
