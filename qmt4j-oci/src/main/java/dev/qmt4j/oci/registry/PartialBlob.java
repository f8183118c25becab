package dev.qmt4j.oci.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one blob download holds across its attempts: the first {@link #held()} bytes of the blob,
 * written to the target file and fed to the hasher in order, and the server's strong validator for
 * them. A retry asks only for the rest ({@code Range: bytes=held-}), so a flaky link costs the bytes
 * lost, not the whole blob again; the final digest and size checks are the same as for one request.
 *
 * <p>Used by one download at a time: the HTTP client's thread writes it while a response streams in,
 * the caller's thread reads it once {@code send} has returned or thrown (which orders the two).
 */
final class PartialBlob {
    /** {@code bytes first-last/total} or {@code bytes first-last/*} (RFC 9110 section 14.4). */
    private static final Pattern CONTENT_RANGE = Pattern.compile("\\s*bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)\\s*");

    private final Path target;
    private final MessageDigest hasher;
    private final long size;
    private volatile long held;
    private volatile String validator;

    PartialBlob(Path target, MessageDigest hasher, long size) {
        this.target = target;
        this.hasher = hasher;
        this.size = size;
    }

    Path target() {
        return target;
    }

    MessageDigest hasher() {
        return hasher;
    }

    /** The declared size, from the manifest's descriptor (never from a server's header). */
    long size() {
        return size;
    }

    /** Bytes written and hashed so far; the file may hold more (a write cut short), never fewer. */
    long held() {
        return held;
    }

    void advance(long bytes) {
        held += bytes;
    }

    /** Whether the next request should ask for the rest only. */
    boolean resumable() {
        return held > 0 && held < size;
    }

    /**
     * The headers that ask for the rest: {@code Range: bytes=held-}, and {@code If-Range} with the
     * validator when the server gave a strong ETag (registries send the digest), so a changed
     * resource comes back whole ({@code 200}) instead of spliced. No headers when nothing is held.
     */
    Map<String, String> rangeHeaders() {
        if (!resumable()) {
            return Map.of();
        }
        String v = validator;
        return v == null ? Map.of("Range", "bytes=" + held + "-") : Map.of("Range", "bytes=" + held + "-", "If-Range", v);
    }

    /** Remembers the ETag of the response whose body is being written, if it is a strong one. */
    void validator(Optional<String> etag) {
        validator = etag.map(String::trim).filter(e -> e.startsWith("\"") && e.endsWith("\"") && e.length() >= 2)
                .orElse(null);
    }

    /** Forgets everything held: the next bytes are the blob's first. */
    void restart() throws IOException {
        hasher.reset();
        held = 0;
        validator = null;
        Files.deleteIfExists(target);
    }

    /**
     * Whether a {@code 206}'s {@code Content-Range} continues exactly where the held bytes end. Its end
     * and total are not trusted: the declared size bounds the body and the digest decides.
     */
    boolean continuesAt(Optional<String> contentRange) {
        if (contentRange.isEmpty()) {
            return false;
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.get());
        if (!m.matches()) {
            return false;
        }
        try {
            return Long.parseLong(m.group(1)) == held && Long.parseLong(m.group(2)) >= held;
        } catch (NumberFormatException tooLong) {
            return false;
        }
    }
}
