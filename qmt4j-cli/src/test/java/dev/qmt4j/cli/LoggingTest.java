package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Logging}: slf4j is told its provider (no class-path search), unless the user chose one. */
class LoggingTest {
    private static final String PROVIDER = "slf4j.provider";
    private static final String VERBOSITY = "slf4j.internal.verbosity";
    private Properties saved;

    @BeforeEach
    void save() {
        saved = (Properties) System.getProperties().clone();
        System.clearProperty(PROVIDER);
        System.clearProperty(VERBOSITY);
    }

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    @Test
    void namesSlf4jSimpleAndSilencesSlf4jsInfoLine() {
        Logging.configure(false);
        assertEquals("org.slf4j.simple.SimpleServiceProvider", System.getProperty(PROVIDER));
        assertEquals("WARN", System.getProperty(VERBOSITY));
        // the class exists: a wrong name would make slf4j fall back to a no-op logger
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> Class.forName(Logging.PROVIDER));
    }

    @Test
    void aUsersProviderIsKept() {
        System.setProperty(PROVIDER, "com.example.OtherProvider");
        Logging.configure(true);
        assertEquals("com.example.OtherProvider", System.getProperty(PROVIDER));
        assertNull(System.getProperty(VERBOSITY));
    }
}
