package dev.qmt4j.config;

import java.util.Optional;

/**
 * Something in a config file that was ignored rather than refused: a key qmt4j does not know outside the
 * plugin's own {@code [providers.config]} table. QueryMT ignores such keys, so its config files may carry
 * some; the global {@code --strict} option or {@code strict = true} in the file turns them into errors
 * (docs/cli.md).
 *
 * @param location   {@code file:line} of the key (or the file when the line is unknown)
 * @param path       the key path, e.g. {@code providers[0].plaform}
 * @param message    what is wrong, e.g. {@code unknown key 'plaform' in providers[0]}
 * @param suggestion the known key it is probably a misspelling of, if one is close
 */
public record ConfigWarning(String location, String path, String message, Optional<String> suggestion) {

    /** The line users see: {@code file:line: path: message (ignored; did you mean 'x'?)}. */
    public String text() {
        return location + ": " + path + ": " + message + " (ignored" + suggestion.map(s -> "; did you mean '" + s + "'?").orElse("") + ")";
    }
}
