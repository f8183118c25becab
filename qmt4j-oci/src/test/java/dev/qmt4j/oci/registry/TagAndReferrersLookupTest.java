package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.testkit.RegistryServer;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RegistrySource#manifestForTag} and {@link RegistrySource#referrers}: how signatures are
 * discovered with the pull's own source (and credentials).
 */
class TagAndReferrersLookupTest {

    @ParameterizedTest
    @EnumSource(value = RegistryServer.Auth.class, names = {"NONE", "TOKEN"})
    void anotherTagOfTheSameRepositoryIsFoundWithTheSameCredentials(RegistryServer.Auth auth) {
        try (RegistryServer registry = RegistryServer.start(auth)) {
            RegistryClient client = new RegistryClient(TestImages.options(registry).build());
            RegistryRef ref = TestImages.ref(registry.host(), "team/signed", "1.0");
            TestImages.Image image = RegistryRoundTripTest.push(client, ref, TestImages.image(100, 7));
            String sigTag = image.manifestDigest().fileName() + ".sig";
            TestImages.Image sig = RegistryRoundTripTest.push(client, TestImages.ref(registry.host(), "team/signed", sigTag),
                    TestImages.image(50, 8));
            try (RegistrySource source = client.source(ref)) {
                Optional<ManifestBlob> found = source.manifestForTag(sigTag);
                assertTrue(found.isPresent());
                assertEquals(sig.manifestDigest(), found.get().digest());
                assertArrayEquals(sig.manifest(), found.get().bytes());
                assertEquals(Optional.empty(), source.manifestForTag("sha256-0000.sig"), "a missing tag is empty, not an error");
                // distribution 2.8 has no referrers API: a 404, reported as "no API" so callers use the tag fallback.
                assertEquals(Optional.empty(), source.referrers(image.manifestDigest()));
            }
        }
    }
}
