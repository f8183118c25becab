package dev.qmt4j.provider.model;

/** Why generation stopped; serialised with QueryMT's variant names ({@code "Stop"}, {@code "ToolCalls"}...). */
public enum FinishReason {
    /** Natural end. */
    STOP("Stop"),
    /** Token limit reached. */
    LENGTH("Length"),
    /** Filtered by the provider. */
    CONTENT_FILTER("ContentFilter"),
    /** The model asked for tool calls. */
    TOOL_CALLS("ToolCalls"),
    /** The provider reported an error. */
    ERROR("Error"),
    /** Any other reason. */
    OTHER("Other"),
    /** Not reported. */
    UNKNOWN("Unknown");

    private final String wire;

    FinishReason(String wire) {
        this.wire = wire;
    }

    /** The JSON string. */
    public String wire() {
        return wire;
    }

    /** The reason for a JSON string. @throws IllegalArgumentException for an unknown name */
    public static FinishReason fromWire(String s) {
        for (FinishReason r : values()) {
            if (r.wire.equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown FinishReason " + s);
    }
}
