package dev.qmt4j.wasm;

/**
 * Extism log levels, numbered as {@code get_log_level} reports them to guests: trace = 0 ... error = 4,
 * and {@link #OFF} = {@code Integer.MAX_VALUE}.
 */
public enum LogLevel {
    TRACE(0),
    DEBUG(1),
    INFO(2),
    WARN(3),
    ERROR(4),
    OFF(Integer.MAX_VALUE);

    private final int extismValue;

    LogLevel(int extismValue) {
        this.extismValue = extismValue;
    }

    /** The integer {@code get_log_level} returns for this level. */
    public int extismValue() {
        return extismValue;
    }

    /** Whether a message at {@code level} is emitted when this is the configured level. */
    public boolean enables(LogLevel level) {
        return level != OFF && this != OFF && level.extismValue >= extismValue;
    }

    /** Parses {@code trace|debug|info|warn|error|off}, case-insensitively. */
    public static LogLevel parse(String name) {
        for (LogLevel l : values()) {
            if (l.name().equalsIgnoreCase(name.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown log level '" + name + "' (trace, debug, info, warn, error, off)");
    }
}
