package dev.qmt4j.oci.registry;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Pushes blobs and manifests to one registry repository: existing blobs are skipped (HEAD),
 * small blobs go up in one PUT, larger ones in PATCH chunks, and {@link #mount} links a blob from
 * another repository of the same registry without uploading it.
 */
public final class RegistryTarget implements ImageTarget {
    private static final String OCTET = "application/octet-stream";

    private final RegistryRef ref;
    private final Transport transport;
    private final URI base;
    private final List<String> scopes;

    RegistryTarget(RegistryRef ref, Transport transport, URI base) {
        this.ref = ref;
        this.transport = transport;
        this.base = base;
        this.scopes = List.of("repository:" + ref.repository() + ":pull,push");
    }

    @Override
    public RegistryRef reference() {
        return ref;
    }

    @Override
    public boolean hasBlob(Digest digest) {
        URI uri = base.resolve("/v2/" + ref.repository() + "/blobs/" + digest);
        return transport.retrying(ref.registry(), () -> {
            HttpResponse<InputStream> r = transport.exchange(new Transport.Call("HEAD", uri, Map.of(), null, ref.registry(), scopes));
            Transport.discard(r);
            if (r.statusCode() == 200) {
                return true;
            }
            if (r.statusCode() == 404) {
                return false;
            }
            throw RegistryErrors.fromResponse(r, ref.registry(), ref.repository(), "blob " + digest);
        });
    }

    /**
     * Asks the registry to link {@code digest} from {@code fromRepository} (same registry) into this
     * repository. Returns false if the registry declined and the blob must be uploaded.
     */
    public boolean mount(Digest digest, String fromRepository) {
        URI uri = base.resolve("/v2/" + ref.repository() + "/blobs/uploads/?mount=" + enc(digest.toString())
                + "&from=" + enc(fromRepository));
        List<String> mountScopes = List.of(scopes.get(0), "repository:" + fromRepository + ":pull");
        return transport.retrying(ref.registry(), () -> {
            HttpResponse<InputStream> r = transport.exchange(new Transport.Call("POST", uri, Map.of(),
                    HttpRequest.BodyPublishers.noBody(), ref.registry(), mountScopes));
            Transport.discard(r);
            if (r.statusCode() == 201) {
                return true;
            }
            if (r.statusCode() == 202) {
                // The registry opened an ordinary upload instead; cancel it rather than leave it dangling.
                r.headers().firstValue("Location").ifPresent(l -> cancel(uri.resolve(l), mountScopes));
                return false;
            }
            throw RegistryErrors.fromResponse(r, ref.registry(), ref.repository(), "mount of blob " + digest);
        });
    }

    @Override
    public void pushBlob(Descriptor descriptor, Path content) {
        long size;
        try {
            size = Files.size(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        checkSize(descriptor, size);
        if (hasBlob(descriptor.digest())) {
            return;
        }
        if (size > transport.options().chunkThreshold()) {
            transport.retrying(ref.registry(), () -> {
                uploadChunked(descriptor, content, size);
                return null;
            });
        } else {
            transport.retrying(ref.registry(), () -> {
                uploadMonolithic(descriptor, HttpRequest.BodyPublishers.ofFile(content));
                return null;
            });
        }
    }

    @Override
    public void pushBlob(Descriptor descriptor, byte[] content) {
        checkSize(descriptor, content.length);
        Digest actual = descriptor.digest().withHash(descriptor.digest().newHasher().digest(content));
        if (!actual.equals(descriptor.digest())) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "blob content hashes to " + actual + ", not " + descriptor.digest(), null);
        }
        if (hasBlob(descriptor.digest())) {
            return;
        }
        transport.retrying(ref.registry(), () -> {
            uploadMonolithic(descriptor, HttpRequest.BodyPublishers.ofByteArray(content));
            return null;
        });
    }

    private void uploadMonolithic(Descriptor descriptor, HttpRequest.BodyPublisher body) throws IOException {
        URI location = startUpload();
        URI put = withDigest(location, descriptor.digest());
        HttpResponse<InputStream> r = transport.exchange(new Transport.Call("PUT", put, Map.of("Content-Type", OCTET), body,
                ref.registry(), scopes));
        finish(r, descriptor.digest());
    }

    private void uploadChunked(Descriptor descriptor, Path content, long size) throws IOException {
        URI location = startUpload();
        long chunk = transport.options().chunkSize();
        try (RandomAccessFile file = new RandomAccessFile(content.toFile(), "r")) {
            for (long offset = 0; offset < size; offset += chunk) {
                int length = (int) Math.min(chunk, size - offset);
                byte[] bytes = new byte[length];
                file.seek(offset);
                file.readFully(bytes);
                HttpResponse<InputStream> r = transport.exchange(new Transport.Call("PATCH", location,
                        Map.of("Content-Type", OCTET, "Content-Range", offset + "-" + (offset + length - 1)),
                        HttpRequest.BodyPublishers.ofByteArray(bytes), ref.registry(), scopes));
                if (r.statusCode() != 202) {
                    throw RegistryErrors.fromResponse(r, ref.registry(), ref.repository(), "chunk of blob " + descriptor.digest());
                }
                Transport.discard(r);
                location = nextLocation(r, location);
            }
        }
        HttpResponse<InputStream> r = transport.exchange(new Transport.Call("PUT", withDigest(location, descriptor.digest()),
                Map.of("Content-Type", OCTET), HttpRequest.BodyPublishers.noBody(), ref.registry(), scopes));
        finish(r, descriptor.digest());
    }

    private URI startUpload() throws IOException {
        URI uri = base.resolve("/v2/" + ref.repository() + "/blobs/uploads/");
        HttpResponse<InputStream> r = transport.exchange(new Transport.Call("POST", uri, Map.of(),
                HttpRequest.BodyPublishers.noBody(), ref.registry(), scopes));
        if (r.statusCode() != 202) {
            throw RegistryErrors.fromResponse(r, ref.registry(), ref.repository(), "blob upload");
        }
        Transport.discard(r);
        return nextLocation(r, uri);
    }

    private URI nextLocation(HttpResponse<InputStream> r, URI current) {
        String location = r.headers().firstValue("Location").orElseThrow(() -> new Qmt4jException(ErrorKind.INTEGRITY,
                "registry " + ref.registry() + " answered an upload step without a Location header", null));
        return current.resolve(location);
    }

    private void finish(HttpResponse<InputStream> r, Digest digest) {
        if (r.statusCode() != 201) {
            throw RegistryErrors.fromResponse(r, ref.registry(), ref.repository(), "blob " + digest);
        }
        Transport.discard(r);
    }

    @Override
    public Digest pushManifest(byte[] bytes, String mediaType, String tag) {
        Digest digest = Digest.sha256(bytes);
        String reference = tag != null ? tag : digest.toString();
        URI uri = base.resolve("/v2/" + ref.repository() + "/manifests/" + reference);
        return transport.retrying(ref.registry(), () -> {
            HttpResponse<InputStream> r = transport.exchange(new Transport.Call("PUT", uri, Map.of("Content-Type", mediaType),
                    HttpRequest.BodyPublishers.ofByteArray(bytes), ref.registry(), scopes));
            if (r.statusCode() != 201) {
                throw RegistryErrors.fromResponse(r, ref.registry(), ref.repository(), "manifest " + reference);
            }
            Transport.discard(r);
            String stored = r.headers().firstValue("Docker-Content-Digest").orElse(null);
            if (stored != null && !stored.trim().equals(digest.toString())) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, "registry " + ref.registry() + " stored manifest " + reference
                        + " as " + stored + " but we sent " + digest, null);
            }
            return digest;
        });
    }

    private void cancel(URI upload, List<String> cancelScopes) {
        try {
            Transport.discard(transport.exchange(new Transport.Call("DELETE", upload, Map.of(), null, ref.registry(), cancelScopes)));
        } catch (IOException | RuntimeException e) {
            // best effort: registries expire abandoned uploads themselves
        }
    }

    private static URI withDigest(URI location, Digest digest) {
        String s = location.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + enc(digest.toString()));
    }

    private static void checkSize(Descriptor descriptor, long actual) {
        if (descriptor.size() != actual) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "blob " + descriptor.digest() + " is " + actual
                    + " bytes but its descriptor says " + descriptor.size(), null);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // the shared HttpClient belongs to the RegistryClient
    }
}
