package dev.qmt4j.sigstore.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.sigstore.SharedTestData;
import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.sigstore.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trusted_root.json parsing, the embedded public-good root and manual PEM roots (docs/verification.md, "Trust root and TUF"). */
class TrustRootTest {
    @TempDir
    Path tmp;

    @Test
    void embeddedPublicGoodRootMatchesTheSharedCopy() throws Exception {
        TrustRoot pg = TrustRoot.publicGood();
        TrustRoot shared = TrustRoot.fromFile(SharedTestData.sigstore().resolve("public-good/trusted_root.json"));
        assertEquals(shared.tlogs().size(), pg.tlogs().size());
        assertEquals(2, pg.tlogs().size());
        assertTrue(pg.certificateAuthorities().size() >= 2);
        assertEquals(1, pg.timestampAuthorities().size());
        TransparencyLog v1 = pg.tlogs().get(0);
        assertTrue(v1.logIdHex().startsWith("c0d23d6a"), v1.logIdHex());
        assertEquals(v1.logIdHex(), HexFormat.of().formatHex(Keys.sha256Spki(v1.publicKey())));
        assertEquals("log2025-1.rekor.sigstore.dev", pg.tlogs().get(1).host());
        assertTrue(Keys.isEd25519(pg.tlogs().get(1).publicKey()));
    }

    @Test
    void tlogWithoutValidityStartMakesTheRootInvalid() {
        Path f = SharedTestData.sigstore().resolve(
                "sigstore-conformance/bundle-verify/trust-root-tlog-missing-validity-start_fail/trusted_root.json");
        TrustRootException e = assertThrows(TrustRootException.class, () -> TrustRoot.fromFile(f));
        assertTrue(e.getMessage().contains("validFor.start"), e.getMessage());
    }

    @Test
    void malformedRootsAreRefused() throws Exception {
        for (String s : new String[] {"", "[]", "{\"mediaType\":\"application/unknown\"}",
                "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot.v0.2+json\",\"tlogs\":{}}",
                "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot.v0.2+json\",\"tlogs\":[{\"publicKey\":{\"rawBytes\":\"!!\"}}]}"}) {
            Path f = tmp.resolve("r.json");
            Files.writeString(f, s);
            assertThrows(TrustRootException.class, () -> TrustRoot.fromFile(f), s);
        }
        assertThrows(TrustRootException.class, () -> TrustRoot.fromFile(tmp.resolve("missing.json")));
    }

    @Test
    void validityIsInclusiveAtBothEnds() {
        Instant s = Instant.parse("2024-01-01T00:00:00Z");
        Instant e = Instant.parse("2024-02-01T00:00:00Z");
        ValidityPeriod v = new ValidityPeriod(s, Optional.of(e));
        assertTrue(v.contains(s) && v.contains(e));
        assertTrue(!v.contains(s.minusSeconds(1)) && !v.contains(e.plusSeconds(1)));
    }

    @Test
    void manualRootFromPemFilesWorks() throws Exception {
        TestPki pki = new TestPki();
        Path fulcio = tmp.resolve("fulcio.pem");
        Files.writeString(fulcio, Pem.encode("CERTIFICATE", pki.intermediate.getEncoded()) + Pem.encode("CERTIFICATE", pki.root.getEncoded()));
        Path rekor = tmp.resolve("rekor.pub");
        Files.writeString(rekor, Pem.encode("PUBLIC KEY", pki.rekorKey.getPublic().getEncoded()));
        Path ct = tmp.resolve("ct.pub");
        Files.writeString(ct, Pem.encode("PUBLIC KEY", pki.ctKey.getPublic().getEncoded()));
        TrustRoot root = TrustRoot.manual(List.of(fulcio), List.of(rekor), List.of(ct));
        assertTrue(root.isManual());
        assertEquals(1, root.certificateAuthorities().size());
        assertTrue(root.tlog(Keys.sha256Spki(pki.rekorKey.getPublic())).isPresent());
        assertEquals(1, root.ctlogs(Keys.sha256Spki(pki.ctKey.getPublic())).size());
        // a leaf from this PKI validates against the manual root, SCT included
        new dev.qmt4j.sigstore.certs.CertificateVerifier(root).verify(pki.leaf().cert(), List.of(Instant.parse("2024-03-01T12:05:00Z")), true);
    }

    @Test
    void manualRootNeedsARootCertificateAndValidPem() throws Exception {
        TestPki pki = new TestPki();
        Path onlyIntermediate = tmp.resolve("i.pem");
        Files.writeString(onlyIntermediate, Pem.encode("CERTIFICATE", pki.intermediate.getEncoded()));
        assertThrows(TrustRootException.class, () -> TrustRoot.manual(List.of(onlyIntermediate), List.of(), List.of()));
        Path junk = tmp.resolve("junk.pub");
        Files.writeString(junk, "not a key", StandardCharsets.US_ASCII);
        assertThrows(TrustRootException.class, () -> TrustRoot.manual(List.of(), List.of(junk), List.of()));
    }

    @Test
    void proto3DefaultsLeftOutOfATrustedRootReadAsDefaults() {
        // proto3 JSON leaves out empty lists (ctlogs, timestampAuthorities), empty strings (uri) and
        // UNSPECIFIED enums (keyDetails, hashAlgorithm); a missing required value is still named.
        TestPki pki = new TestPki();
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        String json = """
                {"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
                 "tlogs": [{"baseUrl": "https://rekor.test", "publicKey": {"rawBytes": "%s", "validFor": {"start": "2020-01-01T00:00:00Z"}},
                            "logId": {"keyId": "%s"}}],
                 "certificateAuthorities": [{"certChain": {"certificates": [{"rawBytes": "%s"}]}, "validFor": {}}]}
                """.formatted(b64.encodeToString(pki.rekorKey.getPublic().getEncoded()),
                b64.encodeToString(Keys.sha256Spki(pki.rekorKey.getPublic())),
                b64.encodeToString(derOf(pki.root)));
        TrustRoot root = TrustRoot.fromJson(json.getBytes(StandardCharsets.UTF_8), "test");
        assertEquals(1, root.tlogs().size());
        assertEquals("", root.certificateAuthorities().get(0).uri());
        assertTrue(root.ctlogs().isEmpty());
        TrustRootException e = assertThrows(TrustRootException.class, () -> TrustRoot.fromJson(
                json.replaceFirst("\"logId\": \\{[^}]*\\}", "\"logId\": {}").getBytes(StandardCharsets.UTF_8), "test"));
        assertTrue(e.getMessage().contains("logId.keyId"), e.getMessage());
    }

    private static byte[] derOf(java.security.cert.X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
