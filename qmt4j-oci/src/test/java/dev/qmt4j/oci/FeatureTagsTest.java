package dev.qmt4j.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which tags of a repository are QueryMT feature variants of the tag being pulled. */
class FeatureTagsTest {
    private static final List<String> TAGS = List.of("latest", "stable", "0.2.0", "latest-metal", "latest-cuda12.8",
            "latest-cuda12.8-sm86", "stable-vulkan", "0.2.0-metal", "linux-amd64-default", "0.2.0-linux-amd64-cuda12.8",
            "latest-linux-arm64-metal", "latest-");

    @Test
    void variantsShareTheBaseAndLeaveOutPerPlatformTags() {
        assertEquals(List.of("latest-cuda12.8", "latest-cuda12.8-sm86", "latest-metal"), FeatureTags.variants("latest", TAGS));
        assertEquals(List.of("latest-cuda12.8-sm86", "latest-metal"), FeatureTags.variants("latest-cuda12.8", TAGS));
        assertEquals(List.of("0.2.0-metal"), FeatureTags.variants("0.2.0", TAGS));
        assertEquals(List.of(), FeatureTags.variants("1.0", TAGS));
    }
}
