package dev.qmt4j.oci.layout;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.qmt4j.lock.ProcessLock;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.MediaTypes;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A separate JVM for {@link LayoutConcurrencyTest}: {@code push LAYOUT PREFIX COUNT GO_FILE} waits for
 * GO_FILE (so all children start together), then pushes COUNT different tags {@code PREFIX-i}, each through
 * a fresh {@link OciLayoutTarget} as separate {@code qmt4j push} runs would; {@code hold LAYOUT} takes the
 * layout's index lock, says "locked" and waits to be killed.
 */
public final class LayoutPushChild {
    private LayoutPushChild() {}

    public static void main(String[] args) throws Exception {
        Path layout = Path.of(args[1]);
        switch (args[0]) {
            case "push" -> push(layout, args[2], Integer.parseInt(args[3]), Path.of(args[4]));
            case "hold" -> hold(layout);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void push(Path layout, String prefix, int count, Path go) throws Exception {
        System.out.println("ready");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.sleep(1);
        }
        LayoutRef ref = (LayoutRef) ImageRef.parse("oci-layout://" + layout);
        for (int i = 0; i < count; i++) {
            try (OciLayoutTarget target = new OciLayoutTarget(ref)) {
                target.pushManifest(manifestBytes(prefix + "-" + i), MediaTypes.OCI_MANIFEST, prefix + "-" + i);
            }
        }
        System.out.println("done");
    }

    private static void hold(Path layout) throws Exception {
        Files.createDirectories(layout);
        ProcessLock lock = LayoutLock.acquire(layout);
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        lock.close();
    }

    static byte[] manifestBytes(String marker) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\","
                + "\"digest\":\"" + Digest.sha256(marker.getBytes(UTF_8)) + "\",\"size\":1},\"layers\":[]}").getBytes(UTF_8);
    }
}
