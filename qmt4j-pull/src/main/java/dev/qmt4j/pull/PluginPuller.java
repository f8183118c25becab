package dev.qmt4j.pull;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.SignatureVerifier;
import dev.qmt4j.pull.extract.ExtractionLimits;
import dev.qmt4j.pull.extract.PluginExtractor;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * Pulls plugins into the cache: resolves a reference to a digest, has the signature verifier
 * approve that digest, selects the plugin for this platform, and downloads, extracts and persists
 * it, reusing whatever the cache already holds. See {@link PullAttempt} for the steps.
 *
 * <p>Thread-safe: concurrent pulls of the same plugin, in this process or others sharing the cache
 * directory, download it once.
 */
public final class PluginPuller {
    private final PluginCache cache;
    private final Function<ImageRef, ImageSource> sources;
    private final SignatureVerifier verifier;
    private final RefreshPolicy refresh;
    private final Platform host;
    private final Clock clock;
    private final PluginExtractor extractor;

    private PluginPuller(Builder b) {
        this.cache = Objects.requireNonNull(b.cache, "cache");
        this.sources = Objects.requireNonNull(b.sources, "sources");
        this.verifier = b.verifier;
        this.refresh = b.refresh;
        this.host = b.host != null ? b.host : Platform.host();
        this.clock = b.clock;
        this.extractor = new PluginExtractor(b.limits);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Pulls one plugin. Emits {@link PullEvent}s to {@code listener}, ending with {@code Completed}
     * or {@code Failed}. A failure leaves nothing partial in the cache.
     *
     * @throws Qmt4jException for every failure, classified by {@link ErrorKind}
     */
    public PullResult pull(PullRequest request, PullListener listener) {
        listener.on(new PullEvent.Resolving(request.reference().canonical()));
        try {
            PullResult result = new PullAttempt(this, request, listener).run();
            listener.on(new PullEvent.Completed(result));
            return result;
        } catch (Qmt4jException e) {
            listener.on(new PullEvent.Failed(e.getMessage()));
            throw e;
        } catch (UncheckedIOException e) {
            listener.on(new PullEvent.Failed(e.getMessage()));
            throw new Qmt4jException(ErrorKind.CACHE, "cannot use the cache at " + cache.root() + ": " + e.getMessage(),
                    "check that the cache directory is readable and writable", e);
        } catch (RuntimeException e) {
            listener.on(new PullEvent.Failed(String.valueOf(e)));
            throw new Qmt4jException(ErrorKind.INTERNAL, "unexpected error while pulling "
                    + request.reference().canonical() + ": " + e, "this is a bug in qmt4j; please report it", e);
        }
    }

    PluginCache cache() {
        return cache;
    }

    Function<ImageRef, ImageSource> sources() {
        return sources;
    }

    SignatureVerifier verifier() {
        return verifier;
    }

    RefreshPolicy refresh() {
        return refresh;
    }

    Platform host() {
        return host;
    }

    Clock clock() {
        return clock;
    }

    PluginExtractor extractor() {
        return extractor;
    }

    /** Configures a {@link PluginPuller}; {@code cache} and {@code sources} are required. */
    public static final class Builder {
        private PluginCache cache;
        private Function<ImageRef, ImageSource> sources;
        private SignatureVerifier verifier = SignatureVerifiers.unavailable();
        private RefreshPolicy refresh = RefreshPolicy.DEFAULT;
        private Platform host;
        private Clock clock = Clock.systemUTC();
        private ExtractionLimits limits = ExtractionLimits.DEFAULT;

        private Builder() {}

        public Builder cache(PluginCache cache) {
            this.cache = cache;
            return this;
        }

        /** Opens a source for a reference; only called when the cache cannot answer alone. */
        public Builder sources(Function<ImageRef, ImageSource> opener) {
            this.sources = opener;
            return this;
        }

        /** Defaults to {@link SignatureVerifiers#unavailable()}, which refuses everything. */
        public Builder verifier(SignatureVerifier verifier) {
            this.verifier = Objects.requireNonNull(verifier);
            return this;
        }

        /** Defaults to {@link RefreshPolicy#DEFAULT} (one hour). */
        public Builder refresh(RefreshPolicy refresh) {
            this.refresh = Objects.requireNonNull(refresh);
            return this;
        }

        /** Defaults to {@link Platform#host()}. */
        public Builder hostPlatform(Platform host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Defaults to {@link ExtractionLimits#DEFAULT}. */
        public Builder extractionLimits(ExtractionLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        public PluginPuller build() {
            return new PluginPuller(this);
        }
    }
}
