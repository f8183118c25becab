package dev.qmt4j.provider.model;

/** Who sent a {@link ChatMessage}; serialised as {@code "User"} / {@code "Assistant"} (serde's default enum names). */
public enum ChatRole {
    /** The human side. */
    USER("User"),
    /** The model side. */
    ASSISTANT("Assistant");

    private final String wire;

    ChatRole(String wire) {
        this.wire = wire;
    }

    /** The JSON string. */
    public String wire() {
        return wire;
    }

    /** The role for a JSON string. @throws IllegalArgumentException for an unknown name */
    public static ChatRole fromWire(String s) {
        for (ChatRole r : values()) {
            if (r.wire.equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown ChatRole " + s + " (expected User or Assistant)");
    }
}
