package dev.qmt4j.pull;

import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.TransferListener;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Passes every call to a real source and counts what reached it. */
final class CountingSource implements ImageSource {
    final AtomicInteger opened;
    final AtomicInteger blobs;
    private final ImageSource real;

    CountingSource(ImageSource real, AtomicInteger opened, AtomicInteger blobs) {
        this.real = real;
        this.opened = opened;
        this.blobs = blobs;
        opened.incrementAndGet();
    }

    @Override
    public ImageRef reference() {
        return real.reference();
    }

    @Override
    public Optional<Digest> peekDigest() {
        return real.peekDigest();
    }

    @Override
    public ManifestBlob resolve() {
        return real.resolve();
    }

    @Override
    public ManifestBlob manifest(Digest digest) {
        return real.manifest(digest);
    }

    @Override
    public void fetchBlob(Descriptor descriptor, Path target, TransferListener listener) {
        blobs.incrementAndGet();
        real.fetchBlob(descriptor, target, listener);
    }

    @Override
    public String describe() {
        return real.describe();
    }

    @Override
    public void close() {
        real.close();
    }
}
