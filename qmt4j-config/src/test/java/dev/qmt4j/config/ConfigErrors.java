package dev.qmt4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper for config files that must be refused: every format reports {@code file:line: key} (docs/host.md). */
final class ConfigErrors {
    private ConfigErrors() {
    }

    /**
     * Loads {@code file} expecting a {@link ErrorKind#CONFIG} error whose message starts with the file's path and then
     * {@code lineAndKey} (e.g. {@code ":5: providers[0].follow.every: expected a positive duration"}).
     *
     * @return the error, for checks on the rest of its message or its hint
     */
    static Qmt4jException assertConfigErrorAt(Path file, String lineAndKey) throws IOException {
        String text = Files.readString(file);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> ConfigFile.load(file), text);
        assertEquals(ErrorKind.CONFIG, e.kind(), e::getMessage);
        assertTrue(e.getMessage().startsWith(file + lineAndKey), e.getMessage());
        return e;
    }
}
