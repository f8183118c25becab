package dev.qmt4j.oci.registry;

import dev.qmt4j.http.HttpTimeouts;
import dev.qmt4j.oci.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body handler for one blob request: the body of a {@code 200}, or of a {@code 206} that continues
 * the {@link PartialBlob} exactly, goes straight from the HTTP client's buffers into a
 * {@link FileChannel} and the hasher, with no {@code InputStream}, no copy into a byte array and no
 * hand-over between threads; any other response's body is an {@code InputStream}, as
 * {@link Transport#exchange} expects, for errors, challenges and redirects.
 *
 * <p>A {@code 200} always starts the blob over (the server ignored the range, or {@code If-Range}
 * found the resource changed). A {@code 206} that does not start at the held length is not written
 * ({@link #misplacedRange()}); the caller asks again for the whole blob.
 *
 * <p>One instance per request. Whoever sends it checks the held length against the declared size
 * and the hash afterwards; a body that would go past the declared size is cut off and reported
 * through {@link #tooLarge()}.
 */
final class BlobWriter implements HttpResponse.BodyHandler<InputStream> {
    private final PartialBlob blob;
    private final TransferListener listener;
    private final boolean rangeAsked;
    private final Duration idleTimeout;
    private volatile boolean started;
    private volatile boolean tooLarge;
    private volatile boolean misplacedRange;

    /** @param idleTimeout how long the body may bring no byte before the request is abandoned as timed out */
    BlobWriter(PartialBlob blob, TransferListener listener, boolean rangeAsked, Duration idleTimeout) {
        this.blob = blob;
        this.listener = listener;
        this.rangeAsked = rangeAsked;
        this.idleTimeout = idleTimeout;
    }

    /** Whether a body began to be written (a failure after that is a short read). */
    boolean started() {
        return started;
    }

    /** Whether the body went past the declared size. */
    boolean tooLarge() {
        return tooLarge;
    }

    /** Whether the answer was a {@code 206} for another range than the one asked for (its body was not used). */
    boolean misplacedRange() {
        return misplacedRange;
    }

    @Override
    public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
        int status = info.statusCode();
        boolean append;
        if (status == 200) {
            append = false;
        } else if (status == 206 && rangeAsked) {
            if (!blob.continuesAt(info.headers().firstValue("Content-Range"))) {
                misplacedRange = true;
                return HttpResponse.BodySubscribers.ofInputStream();
            }
            append = true;
        } else {
            return HttpResponse.BodySubscribers.ofInputStream();
        }
        started = true;
        return new ToFile(append, info.headers().firstValue("ETag"));
    }

    /**
     * Writes and hashes each buffer as it arrives; completes with an empty stream once the file is
     * closed. A body that brings no byte for the idle timeout is abandoned as timed out, so a link
     * that went silent (no reset, no end) is retried and resumed instead of waiting forever: the JDK
     * client's request timeout stops at the response headers.
     *
     * <p>Callbacks and the watchdog's abort run under this object's lock, and nothing is written after
     * the result is complete, so once {@code send} returns or throws the {@link PartialBlob} is stable.
     */
    private final class ToFile implements HttpResponse.BodySubscriber<InputStream> {
        private final CompletableFuture<InputStream> result = new CompletableFuture<>();
        private final boolean append;
        private final Optional<String> etag;
        private Flow.Subscription subscription;
        private FileChannel channel;
        private EarlyWriteback writeback;
        private volatile long lastByteNanos;

        ToFile(boolean append, Optional<String> etag) {
            this.append = append;
            this.etag = etag;
        }

        @Override
        public CompletionStage<InputStream> getBody() {
            return result;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            try {
                if (append) {
                    channel = FileChannel.open(blob.target(), StandardOpenOption.WRITE);
                    // Bytes past the held length were written but never hashed (a write cut short): drop them.
                    channel.truncate(blob.held());
                    channel.position(blob.held());
                } else {
                    blob.restart(); // a whole body: whatever was held is not part of it
                    channel = FileChannel.open(blob.target(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                }
                blob.validator(etag);
                writeback = new EarlyWriteback(blob.target());
            } catch (IOException e) {
                s.cancel();
                fail(e);
                return;
            }
            listener.progress(blob.held(), blob.size());
            lastByteNanos = System.nanoTime();
            watch(idleTimeout.toNanos());
            s.request(1);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return; // abandoned by the watchdog: the held bytes must not move any more
            }
            lastByteNanos = System.nanoTime();
            try {
                for (ByteBuffer b : buffers) {
                    int len = b.remaining();
                    if (blob.held() + len > blob.size()) {
                        tooLarge = true;
                        throw new IOException("body larger than the declared " + blob.size() + " bytes");
                    }
                    ByteBuffer forHash = b.duplicate();
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                    // Hashed only once on disk, so held bytes are always both written and hashed.
                    blob.hasher().update(forHash);
                    blob.advance(len);
                    writeback.written(len);
                }
                listener.progress(blob.held(), blob.size());
                subscription.request(1);
            } catch (IOException | RuntimeException e) {
                subscription.cancel();
                fail(e);
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            fail(t);
        }

        @Override
        public synchronized void onComplete() {
            if (result.isDone()) {
                return;
            }
            try {
                channel.close();
                writeback.finish();
                result.complete(InputStream.nullInputStream());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }

        /** Checks again in {@code nanos}, on the watchdog every qmt4j HTTP body shares ({@link HttpTimeouts}). */
        private void watch(long nanos) {
            HttpTimeouts.schedule(Duration.ofNanos(nanos), this::checkIdle);
        }

        private synchronized void checkIdle() {
            if (result.isDone()) {
                return;
            }
            long idle = System.nanoTime() - lastByteNanos;
            long limit = idleTimeout.toNanos();
            if (idle < limit) {
                watch(limit - idle);
                return;
            }
            subscription.cancel();
            fail(new HttpTimeouts.IdleTimeout(idleTimeout, "after " + blob.held() + " of " + blob.size()));
        }

        private void fail(Throwable t) {
            try {
                if (writeback != null) {
                    writeback.finish();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // the partial file is kept for a resume or deleted by the caller
            }
            result.completeExceptionally(t);
        }
    }
}
