package dev.qmt4j.oci;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses reference strings by the distribution reference grammar (the one Docker, containerd and
 * the OCI tooling share), plus our {@code oci-layout://} form.
 *
 * <p>Errors quote the input and put a caret under the part that is wrong, because a reference is
 * usually copied from somewhere else and the user needs to see which character broke it.
 */
final class ImageRefParser {
    static final String OCI_SCHEME = "oci://";
    static final String LAYOUT_SCHEME = "oci-layout://";
    static final String DEFAULT_REGISTRY = "docker.io";
    static final int NAME_TOTAL_LENGTH_MAX = 255;

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String IPV6 = "\\[[a-fA-F0-9:]+\\]";
    static final Pattern DOMAIN = Pattern.compile("(?:" + DOMAIN_NAME + "|" + IPV6 + ")(?::[0-9]+)?");
    static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-*)[a-z0-9]+)*");
    private static final Pattern LAYOUT_DIGEST = Pattern.compile("[a-z0-9]+:[^/]*$");
    static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    private static final String HINT =
            "expected [registry[:port]/]repository[:tag][@sha256:<hex>], e.g. oci://ghcr.io/org/plugin:1.0,"
                    + " or oci-layout://DIR[:tag|@digest]";

    private ImageRefParser() {}

    static ImageRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new Qmt4jException(ErrorKind.USAGE, "invalid reference: empty", HINT);
        }
        if (text.startsWith(LAYOUT_SCHEME)) {
            return parseLayout(text);
        }
        int offset = text.startsWith(OCI_SCHEME) ? OCI_SCHEME.length() : 0;
        if (offset == 0 && text.contains("://")) {
            int end = text.indexOf("://");
            throw fail(text, 0, end, "unknown scheme '" + text.substring(0, end) + "://'");
        }
        return parseRegistry(text, offset);
    }

    private static RegistryRef parseRegistry(String input, int start) {
        String rest = input.substring(start);
        if (rest.isEmpty()) {
            throw fail(input, start, 1, "missing repository");
        }

        Optional<Digest> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(parseDigest(input, start + at + 1, rest.substring(at + 1)));
            rest = rest.substring(0, at);
        }

        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            String t = rest.substring(colon + 1);
            if (!TAG.matcher(t).matches()) {
                throw fail(input, start + colon + 1, Math.max(1, t.length()),
                        t.isEmpty() ? "empty tag" : "tag '" + t + "' is invalid (letters, digits, '_', '.', '-'; at most 128, not starting with '.' or '-')");
            }
            tag = Optional.of(t);
            rest = rest.substring(0, colon);
        }

        String name = rest;
        if (name.isEmpty()) {
            throw fail(input, start, 1, "missing repository");
        }
        if (name.length() > NAME_TOTAL_LENGTH_MAX) {
            throw fail(input, start, name.length(), "repository name is longer than " + NAME_TOTAL_LENGTH_MAX + " characters");
        }

        String registry = DEFAULT_REGISTRY;
        String path = name;
        int pathOffset = start;
        int slash = name.indexOf('/');
        if (slash > 0 && looksLikeDomain(name.substring(0, slash))) {
            String domain = name.substring(0, slash);
            if (!DOMAIN.matcher(domain).matches()) {
                throw fail(input, start, domain.length(), "registry '" + domain + "' is not a valid host[:port]");
            }
            // Host names are case-insensitive; one spelling keeps the cache key unique.
            registry = domain.toLowerCase(Locale.ROOT);
            if (registry.equals("index.docker.io")) {
                registry = DEFAULT_REGISTRY;
            }
            path = name.substring(slash + 1);
            pathOffset = start + slash + 1;
        }
        checkPath(input, pathOffset, path);
        if (registry.equals(DEFAULT_REGISTRY) && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of("latest");
        }
        return new RegistryRef(registry, path, tag, digest);
    }

    /** Docker's rule: the first component is a registry if it has a dot or colon, or is localhost. */
    private static boolean looksLikeDomain(String first) {
        return first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost")
                || first.startsWith("[");
    }

    private static void checkPath(String input, int offset, String path) {
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            int bad = 0;
            while (bad < path.length() && !Character.isUpperCase(path.charAt(bad))) {
                bad++;
            }
            throw fail(input, offset + Math.min(bad, path.length() - 1), 1,
                    "repository path '" + path + "' must be lowercase");
        }
        int pos = 0;
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw fail(input, offset + pos, Math.max(1, component.length()), component.isEmpty()
                        ? "empty path component in '" + path + "'"
                        : "path component '" + component + "' is invalid (lowercase letters and digits,"
                                + " separated by '.', '_', '__' or '-')");
            }
            pos += component.length() + 1;
        }
    }

    private static Digest parseDigest(String input, int offset, String text) {
        try {
            return Digest.parse(text);
        } catch (Qmt4jException e) {
            throw fail(input, offset, Math.max(1, text.length()), "digest '" + text + "' is invalid: " + e.getMessage());
        }
    }

    private static LayoutRef parseLayout(String input) {
        int start = LAYOUT_SCHEME.length();
        String rest = input.substring(start);
        Optional<Digest> digest = Optional.empty();
        Optional<String> tag = Optional.empty();

        // '@' may appear in a directory name; only "@alg:..." after the last one is a digest.
        int at = rest.lastIndexOf('@');
        if (at >= 0 && LAYOUT_DIGEST.matcher(rest.substring(at + 1)).lookingAt()) {
            digest = Optional.of(parseDigest(input, start + at + 1, rest.substring(at + 1)));
            rest = rest.substring(0, at);
        }
        // A directory may contain ':' (or be C:\...), so only a valid tag after the last ':' counts.
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            String t = rest.substring(colon + 1);
            if (!t.contains("/") && TAG.matcher(t).matches()) {
                tag = Optional.of(t);
                rest = rest.substring(0, colon);
            }
        }
        if (rest.isEmpty()) {
            throw fail(input, start, 1, "missing layout directory");
        }
        Path dir;
        try {
            dir = Path.of(rest).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw fail(input, start, rest.length(), "layout directory '" + rest + "' is not a valid path: " + e.getReason());
        }
        return new LayoutRef(dir, tag, digest);
    }

    /** A USAGE error quoting the input with a caret line under {@code [pos, pos+len)}. */
    private static Qmt4jException fail(String input, int pos, int len, String what) {
        int from = Math.max(0, Math.min(pos, input.length()));
        int width = Math.max(1, Math.min(len, Math.max(1, input.length() - from)));
        String caret = " ".repeat(from) + "^".repeat(width);
        String message = "invalid reference '" + input + "': " + what + System.lineSeparator()
                + "  " + input + System.lineSeparator()
                + "  " + caret;
        return new Qmt4jException(ErrorKind.USAGE, message, HINT);
    }
}
