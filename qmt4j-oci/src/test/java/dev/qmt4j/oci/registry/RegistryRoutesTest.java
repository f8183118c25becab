package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.RegistryRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The routing value: which sources a reference is read from, in which order, for what. */
class RegistryRoutesTest {
    private static final String SHA = "sha256:" + "ab".repeat(32);

    private static RegistryRef ref(String text) {
        return (RegistryRef) ImageRef.parse(text);
    }

    private static List<String> names(List<RouteSource> sources) {
        return sources.stream().map(s -> s.ref().registry() + "/" + s.ref().repository()).toList();
    }

    private static final RegistryRoutes ROUTES = new RegistryRoutes(List.of(
            new RegistryEntry("ghcr.io", null, false, false, List.of(new RegistryMirror("cache.corp", PullFrom.ALL, false))),
            new RegistryEntry("ghcr.io/querymt", "ghcr.io/querymt", false, false, List.of(
                    new RegistryMirror("spegel.local:5000/ghcr/querymt", PullFrom.DIGEST_ONLY, true),
                    new RegistryMirror("tags.corp/qm", PullFrom.TAG_ONLY, false))),
            new RegistryEntry("docker.io", "mirror.gcr.io", false, true, List.of())));

    @Test
    void longestPrefixWinsAndMirrorsComeFirst() {
        Route r = ROUTES.route(ref("ghcr.io/querymt/openai:1.0"));
        assertEquals(List.of("spegel.local:5000/ghcr/querymt/openai", "tags.corp/qm/openai", "ghcr.io/querymt/openai"),
                names(r.sources()));
        assertEquals(List.of("tags.corp/qm/openai", "ghcr.io/querymt/openai"), names(r.forTags()));
        assertEquals(List.of("spegel.local:5000/ghcr/querymt/openai", "ghcr.io/querymt/openai"), names(r.forDigests()));
        assertEquals(r.forTags(), r.forReference());
        assertEquals("1.0", r.sources().get(0).ref().tag().orElseThrow(), "the tag is kept on every source");
        assertEquals(ref("ghcr.io/querymt/openai:1.0"), r.upstream());

        Route other = ROUTES.route(ref("ghcr.io/someone/else:2"));
        assertEquals(List.of("cache.corp/someone/else", "ghcr.io/someone/else"), names(other.sources()));
    }

    @Test
    void aDigestReferenceSkipsTagOnlyMirrors() {
        Route r = ROUTES.route(ref("ghcr.io/querymt/openai@" + SHA));
        assertEquals(List.of("spegel.local:5000/ghcr/querymt/openai", "ghcr.io/querymt/openai"), names(r.forReference()));
        assertTrue(r.explain().get(1).contains("skipped: tag-only"), r.explain().toString());
    }

    @Test
    void blockedLeavesOnlyTheMirrorsAndTheLocationRemaps() {
        Route r = ROUTES.route(ref("alpine"));
        assertTrue(r.blocked());
        assertTrue(r.sources().isEmpty());
        assertEquals("mirror.gcr.io/library/alpine", r.primary().name());
        assertTrue(r.explain().stream().anyMatch(l -> l.contains("[blocked]")), r.explain().toString());
    }

    @Test
    void noEntryMeansDirect() {
        Route r = ROUTES.route(ref("quay.io/x/y:1"));
        assertFalse(r.routed());
        assertEquals(List.of("quay.io/x/y"), names(r.sources()));
        assertEquals(List.of("spegel.local:5000"), new RegistryRoutes(List.of(ROUTES.entries().get(1))).insecureHosts());
    }

    @Test
    void pullFromSpellings() {
        assertEquals(PullFrom.DIGEST_ONLY, PullFrom.parse("Digest-Only").orElseThrow());
        assertTrue(PullFrom.parse("digest").isEmpty());
    }
}
