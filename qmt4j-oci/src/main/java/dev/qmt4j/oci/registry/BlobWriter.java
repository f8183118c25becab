package dev.qmt4j.oci.registry;

import dev.qmt4j.oci.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body handler for a blob download: the body of a 200 response goes straight from the HTTP
 * client's buffers into the hasher and a {@link FileChannel}, with no {@code InputStream}, no copy
 * into a byte array and no hand-over between threads; any other response's body is an
 * {@code InputStream}, as {@link Transport#exchange} expects, for errors, challenges and redirects.
 *
 * <p>One instance per attempt. Whoever sends it checks {@link #done()} against the declared size
 * and the hash afterwards; a body larger than {@code size} is cut off and reported through
 * {@link #tooLarge()}.
 */
final class BlobWriter implements HttpResponse.BodyHandler<InputStream> {
    private final Path target;
    private final MessageDigest hasher;
    private final long size;
    private final TransferListener listener;
    private volatile long done;
    private volatile boolean started;
    private volatile boolean tooLarge;

    BlobWriter(Path target, MessageDigest hasher, long size, TransferListener listener) {
        this.target = target;
        this.hasher = hasher;
        this.size = size;
        this.listener = listener;
    }

    long done() {
        return done;
    }

    /** Whether a 200 body began to arrive (a failure after that is a short read). */
    boolean started() {
        return started;
    }

    /** Whether the body went past the declared size. */
    boolean tooLarge() {
        return tooLarge;
    }

    @Override
    public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
        if (info.statusCode() != 200) {
            return HttpResponse.BodySubscribers.ofInputStream();
        }
        started = true;
        return new ToFile();
    }

    /** Writes and hashes each buffer as it arrives; completes with an empty stream once the file is closed. */
    private final class ToFile implements HttpResponse.BodySubscriber<InputStream> {
        private final CompletableFuture<InputStream> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private FileChannel channel;

        @Override
        public CompletionStage<InputStream> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            try {
                channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                s.cancel();
                result.completeExceptionally(e);
                return;
            }
            listener.progress(0, size);
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                long n = done;
                for (ByteBuffer b : buffers) {
                    int len = b.remaining();
                    if (n + len > size) {
                        tooLarge = true;
                        throw new IOException("body larger than the declared " + size + " bytes");
                    }
                    hasher.update(b.duplicate());
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                    n += len;
                }
                done = n;
                listener.progress(n, size);
                subscription.request(1);
            } catch (IOException | RuntimeException e) {
                subscription.cancel();
                fail(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            fail(t);
        }

        @Override
        public void onComplete() {
            try {
                channel.close();
                result.complete(InputStream.nullInputStream());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }

        private void fail(Throwable t) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // the partial file is deleted by the caller
            }
            result.completeExceptionally(t);
        }
    }
}
