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

    /**
     * @param requested the platform asked for (normalised)
     * @param offered   the platforms of the index's entries, in index order; empty for a single
     *                  (platform-less) native image
     */
    public PlatformUnavailableException(Platform requested, List<Platform> offered, String message, String hint) {
        super(ErrorKind.PLATFORM, message, hint);
        this.requested = requested;
        this.offered = List.copyOf(offered);
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
