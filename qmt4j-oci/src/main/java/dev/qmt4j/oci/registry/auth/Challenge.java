package dev.qmt4j.oci.registry.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One RFC 7235 authentication challenge, e.g. {@code Bearer realm="...",service="..."}.
 *
 * @param scheme lower-cased auth scheme ({@code bearer}, {@code basic})
 * @param params parameters with lower-cased names and unquoted values
 */
public record Challenge(String scheme, Map<String, String> params) {

    public Challenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Map.copyOf(params);
    }

    /** A parameter by (case-insensitive) name. */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }
}
