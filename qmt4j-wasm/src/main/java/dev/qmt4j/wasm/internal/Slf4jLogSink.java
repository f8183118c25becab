package dev.qmt4j.wasm.internal;

import dev.qmt4j.wasm.LogLevel;
import dev.qmt4j.wasm.LogSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default {@link LogSink}: slf4j logger {@code dev.qmt4j.wasm.plugin.<name>}. */
enum Slf4jLogSink implements LogSink {
    INSTANCE;

    static Logger logger(String plugin) {
        return LoggerFactory.getLogger("dev.qmt4j.wasm.plugin." + plugin);
    }

    /** The most verbose level the plugin's logger enables; guests see it in {@code get_log_level}. */
    static LogLevel levelOf(String plugin) {
        Logger l = logger(plugin);
        if (l.isTraceEnabled()) {
            return LogLevel.TRACE;
        }
        if (l.isDebugEnabled()) {
            return LogLevel.DEBUG;
        }
        if (l.isInfoEnabled()) {
            return LogLevel.INFO;
        }
        if (l.isWarnEnabled()) {
            return LogLevel.WARN;
        }
        return l.isErrorEnabled() ? LogLevel.ERROR : LogLevel.OFF;
    }

    @Override
    public void log(LogLevel level, String plugin, String message) {
        Logger l = logger(plugin);
        switch (level) {
            case TRACE -> l.trace(message);
            case DEBUG -> l.debug(message);
            case INFO -> l.info(message);
            case WARN -> l.warn(message);
            case ERROR -> l.error(message);
            case OFF -> { }
        }
    }
}
