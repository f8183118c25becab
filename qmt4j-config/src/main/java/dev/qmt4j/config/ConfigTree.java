package dev.qmt4j.config;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;

/**
 * A config document as plain Java values (maps, lists, strings, numbers, booleans, null) plus the
 * line each value starts on, keyed by its path ({@code oci.refresh}, {@code providers[1].path}).
 *
 * <p>We read tokens ourselves instead of binding to classes so that every error can name the file,
 * the line and the key path, and so that free-form tables ({@code config}) stay raw maps.
 */
final class ConfigTree {
    private final Path source;
    private final Object root;
    private final Map<String, Integer> lines;

    private ConfigTree(Path source, Object root, Map<String, Integer> lines) {
        this.source = source;
        this.root = root;
        this.lines = lines;
    }

    static ConfigTree read(Path file, ConfigFormat format) {
        Map<String, Integer> lines = new HashMap<>();
        Object root;
        try (JsonParser parser = format.factory().createParser(ObjectReadContext.empty(), file)) {
            JsonToken first = parser.nextToken();
            root = first == null ? new LinkedHashMap<String, Object>() : readValue(parser, "", lines);
            if (parser.nextToken() != null) {
                throw syntax(file, parser.currentTokenLocation(), "unexpected content after the document");
            }
        } catch (JacksonException e) {
            throw syntax(file, e.getLocation(), e.getOriginalMessage());
        }
        if (format == ConfigFormat.TOML) {
            // Jackson's TOML parser builds a tree before streaming it, so its tokens carry no lines.
            TomlLines.index(file).forEach(lines::putIfAbsent);
        }
        return new ConfigTree(file, root, lines);
    }

    private static Qmt4jException syntax(Path file, TokenStreamLocation location, String message) {
        String where = location != null && location.getLineNr() > 0 ? file + ":" + location.getLineNr() : file.toString();
        String first = message == null ? "malformed" : message.lines().findFirst().orElse(message);
        return new Qmt4jException(ErrorKind.CONFIG, where + ": syntax error: " + first,
                "fix the file's " + ConfigFormat.of(file).name() + " syntax");
    }

    private static Object readValue(JsonParser p, String path, Map<String, Integer> lines) {
        TokenStreamLocation loc = p.currentTokenLocation();
        if (loc != null && loc.getLineNr() > 0) {
            lines.put(path, loc.getLineNr());
        }
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, readValue(p, path.isEmpty() ? name : path + "." + name, lines));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p, path + "[" + list.size() + "]", lines));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getString();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                // TOML dates and the like: keep their text, the schema never expects them.
                return p.getText();
        }
    }

    Path source() {
        return source;
    }

    Object root() {
        return root;
    }

    /** {@code file:line} for the value at {@code path} (or its nearest located parent). */
    String where(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return source + ":" + line;
            }
            if (p.isEmpty()) {
                return source.toString();
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    /** A {@code CONFIG} error at {@code path}: {@code file:line: path: message}. */
    Qmt4jException error(String path, String message, String hint) {
        return new Qmt4jException(ErrorKind.CONFIG, where(path) + ": " + (path.isEmpty() ? "" : path + ": ") + message, hint);
    }
}
