package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.ConfigFile;
import dev.qmt4j.config.OciSettings;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.PullFrom;
import dev.qmt4j.oci.registry.Route;
import dev.qmt4j.oci.registry.RouteSource;
import dev.qmt4j.testkit.FaultProxy;
import dev.qmt4j.testkit.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [oci] hosts_dir}: containerd's hosts.toml files as routes, and a mirror whose API lives under a path. */
class HostsDirTest {
    @TempDir
    Path tmp;

    private OciSettings load(Path certsD) throws Exception {
        Path cfg = Files.writeString(tmp.resolve("qmt.toml"), "[oci]\nhosts_dir = \"" + certsD + "\"\n");
        return ConfigFile.load(cfg).oci();
    }

    @Test
    void hostsTomlBecomeRoutes() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("certs.d/docker.io"));
        Files.writeString(d.resolve("hosts.toml"), """
                server = "https://registry-1.docker.io"

                [host."https://peer.local:5000/cache"]
                  capabilities = ["pull"]
                  ca = "peer-ca.pem"

                [host."http://tags.corp:8080/v2/hub"]
                  capabilities = ["resolve"]
                  override_path = true

                [host."https://push.corp"]
                  capabilities = ["push"]
                """);
        Files.createDirectories(tmp.resolve("certs.d/_default"));
        Files.writeString(tmp.resolve("certs.d/_default/hosts.toml"), "[host.\"https://anything\"]\n");
        OciSettings oci = load(tmp.resolve("certs.d"));
        assertEquals(List.of(d.resolve("peer-ca.pem")), oci.caCertificates());
        Route r = new OciConnections(oci, Map.of(), tmp).routes().route((RegistryRef) ImageRef.parse("alpine:3"));
        List<RouteSource> s = r.sources();
        assertEquals(3, s.size(), s.toString());
        assertEquals("peer.local:5000/library/alpine", s.get(0).ref().name());
        assertEquals(PullFrom.DIGEST_ONLY, s.get(0).pullFrom());
        assertEquals("/cache/v2", s.get(0).apiRoot());
        assertEquals(PullFrom.TAG_ONLY, s.get(1).pullFrom());
        assertEquals("/v2/hub", s.get(1).apiRoot());
        assertTrue(s.get(1).insecure());
        assertEquals("docker.io/library/alpine", s.get(2).ref().name(), "the primary stays Docker Hub");
    }

    @Test
    void skipVerifyIsRefusedWithItsLine() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("certs.d/ghcr.io"));
        Files.writeString(d.resolve("hosts.toml"), """
                server = "https://ghcr.io"
                [host."https://m.corp"]
                  capabilities = ["pull", "resolve"]
                  skip_verify = true
                """);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> load(tmp.resolve("certs.d")));
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("hosts.toml:4: host.https://m.corp.skip_verify: skip_verify is not supported"),
                e.getMessage());
    }

    @Test
    void mirrorApiUnderItsPathAgainstARealRegistry() throws Exception {
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.NONE);
                FaultProxy mirror = FaultProxy.to(registry.host())) {
            Path certs = Files.createDirectories(tmp.resolve("certs.d").resolve(registry.host()));
            // A digest-only mirror whose API is at /cache/v2 (Distribution serves /v2 only: it answers 404, and the
            // primary serves instead; the requests show the path qmt4j built).
            Files.writeString(certs.resolve("hosts.toml"), """
                    server = "http://%s"
                    [host."http://%s/cache"]
                      capabilities = ["pull"]
                    """.formatted(registry.host(), mirror.host()));
            OciConnections oci = new OciConnections(load(tmp.resolve("certs.d")), Map.of(), tmp);
            RegistryRef ref = (RegistryRef) ImageRef.parse(registry.host() + "/hosts/plugin:1");
            Path wasm = Files.write(tmp.resolve("p.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
            try (ImageTarget t = oci.target(ref)) {
                ImagePackager.pushWasm(t, wasm, "1", Map.of());
            }
            try (ImageSource s = oci.source(ref)) {
                ManifestBlob top = s.resolve();
                Descriptor layer = ((ImageManifest) top.parse()).layers().get(0);
                Path out = tmp.resolve("layer");
                s.fetchBlob(layer, out, (done, total) -> { });
                assertEquals(layer.digest(), Digest.sha256(out));
                assertEquals(List.of(), mirror.requests().stream().filter(r -> r.path().contains("/manifests/1")).toList(),
                        "the tag never goes to a pull-only host");
                assertTrue(mirror.requests().stream().anyMatch(r -> r.path().startsWith("/cache/v2/hosts/plugin/blobs/"
                        + layer.digest() + "?ns=")), mirror.requests().toString());
            }
        }
    }
}
