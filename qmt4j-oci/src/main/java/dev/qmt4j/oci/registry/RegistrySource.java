package dev.qmt4j.oci.registry;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads manifests and blobs of one registry repository, checking every byte: manifests are hashed
 * and compared with the digest asked for (or the registry's {@code Docker-Content-Digest} for a
 * tag) and capped at {@link #MAX_MANIFEST_BYTES}; blobs are streamed to disk while being hashed and
 * counted against their declared size, and a download cut off mid-body resumes where it stopped.
 */
public final class RegistrySource implements ImageSource {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrySource.class);
    /** The largest manifest accepted, as in the distribution reference implementation. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /**
     * A failed blob attempt that still brought this many more bytes is not counted as a retry (it will
     * be resumed): a large plugin over a link that drops every few minutes gets there. Smaller gains
     * count, so a server trickling a few bytes per connection still runs out of retries.
     */
    static final long PRODUCTIVE_ATTEMPT = 1024 * 1024;
    static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);

    private final RegistryRef ref;
    private final Transport transport;
    private final URI base;
    private final List<String> scopes;
    /** Appended to every URI: {@code ?ns=<upstream host>} for a mirror (docs/mirrors.md), else empty. */
    private final String query;

    /** The API root: {@code /v2}, or a containerd host's own path ({@code /cache/v2}, docs/mirrors.md). */
    private final String api;

    RegistrySource(RegistryRef ref, Transport transport, URI base) {
        this(ref, transport, base, "", RouteSource.API_ROOT);
    }

    RegistrySource(RegistryRef ref, Transport transport, URI base, String query, String api) {
        this.api = api;
        this.ref = ref;
        this.transport = transport;
        this.base = base;
        this.scopes = List.of("repository:" + ref.repository() + ":pull");
        this.query = query;
    }

    @Override
    public RegistryRef reference() {
        return ref;
    }

    @Override
    public Optional<Digest> peekDigest() {
        URI uri = manifestUri(ref.tagOrDigest());
        return transport.retrying(ref.registry(), () -> {
            HttpResponse<InputStream> r = transport.exchange(new Transport.Call("HEAD", uri, Map.of("Accept", ACCEPT), null,
                    ref.registry(), scopes));
            if (r.statusCode() / 100 != 2) {
                throw RegistryErrors.fromResponse(r, ref.registry(), ref.repository(), "manifest " + ref.tagOrDigest());
            }
            Transport.discard(r);
            return r.headers().firstValue("Docker-Content-Digest").map(d -> parseHeaderDigest(d));
        });
    }

    @Override
    public ManifestBlob resolve() {
        return fetchManifest(ref.tagOrDigest(), ref.digest());
    }

    @Override
    public ManifestBlob manifest(Digest digest) {
        return fetchManifest(digest.toString(), Optional.of(digest));
    }

    @Override
    public Optional<ManifestBlob> manifestForTag(String tag) {
        return Optional.ofNullable(fetchManifest(manifestUri(tag), "manifest " + tag, Optional.empty(), ACCEPT, true));
    }

    @Override
    public Optional<ManifestBlob> referrers(Digest subject) {
        URI uri = base.resolve(api + "/" + ref.repository() + "/referrers/" + subject + query);
        ManifestBlob blob = fetchManifest(uri, "referrers of " + subject, Optional.empty(), MediaTypes.OCI_INDEX, true);
        if (blob == null) {
            return Optional.empty();
        }
        // The referrers list is generated per request and not content-addressed: its digest means nothing.
        return Optional.of(new ManifestBlob(Digest.sha256(blob.bytes()), MediaTypes.OCI_INDEX, blob.bytes()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The first page of the distribution API's tag list ({@code GET /v2/<name>/tags/list?n=1000}), one
     * attempt, no retries: it only improves an error's hint, so any failure gives an empty list.
     */
    @Override
    public List<String> tags() {
        URI uri = base.resolve("/v2/" + ref.repository() + "/tags/list?n=1000");
        try {
            HttpResponse<InputStream> r = transport.exchange(Transport.Call.get(uri, ref.registry(), scopes,
                    Map.of("Accept", "application/json")));
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    return List.of();
                }
                byte[] body = in.readNBytes(MAX_MANIFEST_BYTES);
                List<String> tags = new java.util.ArrayList<>();
                TAGS_JSON.readTree(body).path("tags").forEach(t -> {
                    if (t.isString()) {
                        tags.add(t.stringValue());
                    }
                });
                return tags;
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static final tools.jackson.databind.json.JsonMapper TAGS_JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private ManifestBlob fetchManifest(String reference, Optional<Digest> expected) {
        return fetchManifest(manifestUri(reference), "manifest " + reference, expected, ACCEPT, false);
    }

    /** Fetches and checks a manifest; with {@code notFoundIsNull}, a 404 gives {@code null}. */
    private ManifestBlob fetchManifest(URI uri, String what, Optional<Digest> expected, String accept,
            boolean notFoundIsNull) {
        return transport.retrying(ref.registry(), () -> {
            HttpResponse<InputStream> r = transport.exchange(Transport.Call.get(uri, ref.registry(), scopes,
                    Map.of("Accept", accept)));
            if (notFoundIsNull && r.statusCode() == 404) {
                Transport.discard(r);
                return null;
            }
            if (r.statusCode() != 200) {
                throw RegistryErrors.fromResponse(r, ref.registry(), ref.repository(), what);
            }
            long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            byte[] bytes;
            try (InputStream in = r.body()) {
                if (declared > MAX_MANIFEST_BYTES) {
                    throw tooLarge(what, declared);
                }
                bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            }
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw tooLarge(what, bytes.length);
            }
            Optional<Digest> header = r.headers().firstValue("Docker-Content-Digest").map(this::parseHeaderDigest);
            Digest check = expected.or(() -> header).orElse(null);
            Digest actual = hash(bytes, check == null ? "sha256" : check.algorithm());
            if (expected.isPresent() && !actual.equals(expected.get())) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, what + " from " + ref.name() + " has digest " + actual
                        + ", not the one asked for", "the registry or a proxy altered the manifest; do not trust this source");
            }
            if (header.isPresent() && !hash(bytes, header.get().algorithm()).equals(header.get())) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, what + " from " + ref.name() + " hashes to "
                        + hash(bytes, header.get().algorithm()) + " but the registry's Docker-Content-Digest says "
                        + header.get(), "the manifest was altered in transit; do not trust this source");
            }
            String mediaType = r.headers().firstValue("Content-Type").map(RegistrySource::stripParams).orElse(null);
            // Report sha256 for tags (what references and the cache use), the pinned digest otherwise.
            Digest digest = expected.orElseGet(() -> hash(bytes, "sha256"));
            return new ManifestBlob(digest, mediaType, bytes);
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>An attempt that fails mid-body (reset, premature end) keeps the bytes it wrote and hashed;
     * the retry asks for the rest with {@code Range} (and {@code If-Range} with the registry's ETag),
     * following redirects with the same headers, and appends a {@code 206} that starts exactly
     * there. A {@code 200} (range ignored, or the validator no longer matches) starts over with that
     * body; a {@code 206} elsewhere or a {@code 416} is discarded and the blob asked for again whole.
     * The digest and declared size are checked over the whole file as for a single request. An attempt
     * that brought at least {@link #PRODUCTIVE_ATTEMPT} more bytes is not counted against the retries,
     * and a body that brings no byte for the request timeout is abandoned and resumed.
     */
    @Override
    public void fetchBlob(Descriptor descriptor, Path target, TransferListener listener) {
        Digest digest = descriptor.digest();
        long size = descriptor.size();
        URI uri = base.resolve(api + "/" + ref.repository() + "/blobs/" + digest + query);
        PartialBlob blob = new PartialBlob(target, digest.newHasher(), size);
        try {
            transport.retrying(ref.registry(), () -> {
                if (blob.held() == 0 || blob.held() < size) {
                    download(uri, blob, listener, digest);
                }
                check(blob.held(), blob.hasher(), digest, size);
                return null;
            }, e -> e instanceof ShortRead s
                    ? new Qmt4jException(ErrorKind.INTEGRITY, "blob " + digest + " truncated: got " + s.got + " of "
                            + s.expected + " bytes", "the connection kept dropping mid-download; try again", e)
                    : RegistryErrors.fromIo(e, ref.registry(), transport.options().maxRetries() + 1),
                    blob::held, PRODUCTIVE_ATTEMPT);
        } catch (RuntimeException e) {
            deleteQuietly(target);
            throw e;
        }
    }

    /** One attempt: asks for what is missing; a range the server got wrong is asked for again whole, once. */
    private void download(URI uri, PartialBlob blob, TransferListener listener, Digest digest) throws IOException {
        boolean ranged = blob.resumable();
        if (ranged) {
            LOG.debug("resuming {} at byte {} of {}", digest, blob.held(), blob.size());
        }
        BlobWriter writer = new BlobWriter(blob, listener, ranged, transport.options().requestTimeout());
        HttpResponse<InputStream> r = send(uri, blob, writer, digest);
        if (ranged && (writer.misplacedRange() || r.statusCode() == 416)) {
            LOG.debug("{} answered {} {} to a range from byte {}: starting {} over", ref.registry(), r.statusCode(),
                    r.headers().firstValue("Content-Range").orElse(""), blob.held(), digest);
            Transport.discard(r);
            blob.restart();
            writer = new BlobWriter(blob, listener, false, transport.options().requestTimeout());
            r = send(uri, blob, writer, digest);
        }
        if (!writer.started()) {
            throw RegistryErrors.fromResponse(r, ref.registry(), ref.repository(), "blob " + digest);
        }
    }

    private HttpResponse<InputStream> send(URI uri, PartialBlob blob, BlobWriter writer, Digest digest) throws IOException {
        try {
            return transport.exchange(Transport.Call.get(uri, ref.registry(), scopes, blob.rangeHeaders()), writer);
        } catch (IOException e) {
            if (writer.tooLarge()) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, "blob " + digest + " is larger than its declared "
                        + blob.size() + " bytes", "the registry serves different content than the manifest describes");
            }
            // Only a failure inside a body is a short read; one before it (refused, timed out) stays a network error.
            throw writer.started() ? new ShortRead(blob.held(), blob.size(), e) : e;
        }
    }

    /**
     * The body was written to the file by {@link BlobWriter} (straight from the HTTP client's
     * buffers, hashed on the way); here its length and digest are checked.
     */
    private void check(long done, MessageDigest hasher, Digest digest, long size) {
        if (done < size) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "blob " + digest + " truncated: got " + done + " of " + size
                    + " bytes", "the registry serves different content than the manifest describes");
        }
        Digest actual = digest.withHash(hasher.digest());
        if (!actual.equals(digest)) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "blob " + digest + " from " + ref.name() + " hashes to " + actual,
                    "the content was altered in transit or in the registry; do not trust this source");
        }
    }

    private URI manifestUri(String reference) {
        return base.resolve(api + "/" + ref.repository() + "/manifests/" + reference + query);
    }

    private Qmt4jException tooLarge(String what, long size) {
        return new Qmt4jException(ErrorKind.INTEGRITY, what + " from " + ref.name() + " is " + size
                + " bytes or more, above the " + MAX_MANIFEST_BYTES + "-byte limit for manifests", null);
    }

    private Digest parseHeaderDigest(String value) {
        try {
            return Digest.parse(value.trim());
        } catch (Qmt4jException e) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "registry " + ref.registry() + " sent an invalid Docker-Content-Digest '"
                    + value + "'", null, e);
        }
    }

    private static Digest hash(byte[] bytes, String algorithm) {
        MessageDigest md = Digest.newMessageDigest(algorithm);
        return new Digest(algorithm, java.util.HexFormat.of().formatHex(md.digest(bytes)));
    }

    private static String stripParams(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the caller's temp directory is cleaned by the cache anyway
        }
    }

    @Override
    public String describe() {
        return "registry " + ref.registry();
    }

    @Override
    public void close() {
        // the shared HttpClient belongs to the RegistryClient
    }
}
