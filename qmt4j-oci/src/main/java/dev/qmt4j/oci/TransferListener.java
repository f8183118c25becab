package dev.qmt4j.oci;

/** Told how many bytes of a blob have arrived so far. Must be thread-safe and fast. */
@FunctionalInterface
public interface TransferListener {
    TransferListener NONE = (done, total) -> {};

    /** @param total the declared size, or -1 if unknown */
    void progress(long bytesDone, long total);
}
