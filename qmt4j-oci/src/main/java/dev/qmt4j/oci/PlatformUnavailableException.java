package dev.qmt4j.oci;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.List;

/**
 * The {@link ErrorKind#PLATFORM} error of {@link PluginSelector} when an image has no plugin for the
 * platform asked for, with what it offers as data, so that a caller that knows where the request came
 * from (a provider's {@code platform} key, {@code --platform}) can say how to fix it.
 */
public final class PlatformUnavailableException extends Qmt4jException {
    private static final long serialVersionUID = 1L;

    private final transient Platform requested;
    private final transient List<Platform> offered;
    private final transient List<String> featureTags;

    /**
     * @param requested the platform asked for (normalised)
     * @param offered   the platforms of the index's entries, in index order; empty for a single
     *                  (platform-less) native image
     */
    public PlatformUnavailableException(Platform requested, List<Platform> offered, String message, String hint) {
        this(requested, offered, List.of(), message, hint);
    }

    private PlatformUnavailableException(Platform requested, List<Platform> offered, List<String> featureTags,
            String message, String hint) {
        super(ErrorKind.PLATFORM, message, hint);
        this.requested = requested;
        this.offered = List.copyOf(offered);
        this.featureTags = List.copyOf(featureTags);
    }

    /**
     * This error with the repository's other feature tags ({@link FeatureTags}), named in the hint: QueryMT
     * publishes one native index per accelerator ({@code latest-metal}, {@code latest-cuda12.8}, ...), so a
     * machine the default index lacks may be served by one of them. Unchanged when there are none.
     */
    public PlatformUnavailableException withFeatureTags(List<String> tags) {
        if (tags.isEmpty()) {
            return this;
        }
        PlatformUnavailableException e = new PlatformUnavailableException(requested, offered, tags, getMessage(),
                hint() + "; " + FeatureTags.sentence(tags));
        return e;
    }

    /** The feature tags of the same repository the hint names (empty when not looked up or none). */
    public List<String> featureTags() {
        return featureTags;
    }

    /** The platform asked for. */
    public Platform requested() {
        return requested;
    }

    /** The platforms the image offers (index order); empty for a single native image. */
    public List<Platform> offered() {
        return offered;
    }
}
