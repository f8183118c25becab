package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A child JVM for {@link EvidenceRaceTest}: stores evidence for one digest over and over, as a
 * second pull process verifying the same plugin would, once the parent writes a line to its stdin.
 * Exits 0 when every store succeeded.
 *
 * <p>Arguments: cache directory, digest, writer name (or {@link #READER}), number of stores (or reads).
 */
public final class EvidenceChild {
    /** The writer name that makes a child read the evidence instead, {@code rounds} times. */
    static final String READER = "reader";

    private EvidenceChild() {}

    public static void main(String[] args) {
        PluginCache cache = PluginCache.open(Path.of(args[0]));
        Digest top = Digest.parse(args[1]);
        String writer = args[2];
        int rounds = Integer.parseInt(args[3]);
        System.out.println("ready");
        System.out.flush();
        try {
            System.in.read(); // the parent starts all children at once, to make them collide
        } catch (java.io.IOException e) {
            System.exit(2);
        }
        try {
            for (int i = 0; i < rounds && writer.equals(READER); i++) {
                // A reader must never see evidence without its files, even mid-replacement.
                Optional<Map<String, byte[]>> seen = cache.readEvidence(top).map(StoredEvidence::files);
                if (seen.isPresent() && !seen.get().containsKey("bundle.json")) {
                    System.err.println("torn evidence: " + seen.get().keySet());
                    System.exit(1);
                }
            }
            for (int i = 0; i < rounds && !writer.equals(READER); i++) {
                cache.putEvidence(top, EvidenceRaceTest.summary(writer),
                        Map.of("bundle.json", writer.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
