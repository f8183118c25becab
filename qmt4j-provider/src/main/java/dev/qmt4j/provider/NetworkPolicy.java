package dev.qmt4j.provider;

import dev.qmt4j.provider.internal.IpRanges;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Which hosts a provider plugin may reach. Deny by default; allowed are exactly:
 * <ol>
 *   <li>the origin (scheme, host and port) of the {@code base_url} the user configured for the
 *       provider, whatever its host is (a local model server on {@code localhost} or a private
 *       address is a normal choice), but no other port or scheme of that host;</li>
 *   <li>hosts matching the {@code allowed_hosts} globs of the provider's {@link Sandbox} ({@code *} matches any run of
 *       characters including dots, {@code ?} one character, {@code [abc]}/{@code [!abc]} a class;
 *       case-insensitive; no port or scheme in a pattern);</li>
 *   <li>only when no {@code base_url} is configured: the host of the plugin's own default base URL
 *       (export {@code base_url}), at its own scheme and port, <b>unless</b> it is a loopback, private or link-local name or
 *       address ({@link #isLocalOrPrivate(String)}) and the user did not opt in to private
 *       networks: a plugin must not reach into the user's network on its own.</li>
 * </ol>
 * The decision is made on the host name of the URL ({@link #check(URI)}), before any connection, for
 * every request and every redirect hop. Only {@code http} and {@code https} URLs are allowed.
 *
 * <p>Then the addresses the host name resolves to are checked ({@link #checkAddresses}): a host
 * that resolves to a loopback, private, link-local (cloud metadata), shared, multicast or reserved
 * address is refused, so an allowed name cannot lead into the user's network through DNS. Exempt
 * are only hosts the user named exactly ({@link #trustsAddressesOf}): the configured
 * {@code base_url} host and {@code allowed_hosts} entries without wildcards (a literal IP such as
 * {@code 10.0.0.7} or an exact name); or every host when the user opted in with
 * {@code allow_private_networks = true} in {@code [providers.sandbox]} ({@link Builder#allowPrivateNetworks}).
 * The policy is the user's: {@link #forProvider} reads only {@code base_url} from the config the user
 * wrote and everything else from the host-owned {@link Sandbox}, never from what a plugin returns.
 * Instances are immutable and thread-safe.
 */
public final class NetworkPolicy {
    /** The {@code [providers.sandbox]} key that opts in to private networks. */
    public static final String ALLOW_PRIVATE_NETWORKS = "allow_private_networks";

    /** A URL's scheme, host and port (the default port of the scheme when the URL has none). */
    record Origin(String scheme, String host, int port) {
        static Origin of(URI u) {
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            String host = normalizeHost(u.getHost());
            if (host == null || host.isEmpty()) return null;
            int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            return new Origin(scheme, host, port);
        }

        static Origin of(String url) {
            if (url == null || url.isBlank()) return null;
            try {
                return of(new URI(url.trim()));
            } catch (URISyntaxException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final Origin configured;
    private final Origin pluginDefault;
    private final String configuredHost;
    private final String pluginDefaultHost;
    private final boolean pluginDefaultAllowed;
    private final List<String> globs;
    private final boolean allowPrivateNetworks;

    private NetworkPolicy(Origin configured, Origin pluginDefault, List<String> globs, boolean allowPrivateNetworks) {
        this.configured = configured;
        this.pluginDefault = pluginDefault;
        this.configuredHost = configured == null ? null : configured.host();
        this.pluginDefaultHost = pluginDefault == null ? null : pluginDefault.host();
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.pluginDefaultAllowed = configuredHost == null && pluginDefaultHost != null
                && (allowPrivateNetworks || !isLocalOrPrivate(pluginDefaultHost));
        this.globs = List.copyOf(globs);
    }

    /** A policy that allows nothing. */
    public static NetworkPolicy denyAll() {
        return new NetworkPolicy(null, null, List.of(), false);
    }

    /** Starts a policy. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The policy for one provider: the origin of the {@code base_url} (string) of {@code userConfig},
     * the config the user and the application wrote (never what the plugin's {@code from_config}
     * returned); the {@code allowed_hosts} and {@code allow_private_networks} of {@code sandbox}; and
     * the plugin's default base URL. Other keys of {@code userConfig} (also {@code allowed_hosts}) are
     * the plugin's and are ignored here.
     *
     * @param sandbox the host's sandbox; null for {@link Sandbox#defaults()}
     * @throws ProviderException kind {@link ProviderErrorKind#INVALID_CONFIG} for a malformed {@code base_url}
     */
    public static NetworkPolicy forProvider(JsonNode userConfig, String pluginDefaultBaseUrl, Sandbox sandbox) {
        Builder b = builder().pluginDefaultBaseUrl(pluginDefaultBaseUrl);
        if (sandbox != null) {
            b.allowedHosts(sandbox.allowedHosts()).allowPrivateNetworks(sandbox.allowPrivateNetworks());
        }
        if (userConfig != null && userConfig.isObject()) {
            JsonNode base = userConfig.get("base_url");
            if (base != null && !base.isNull()) {
                if (!base.isString()) throw new ProviderException(ProviderErrorKind.INVALID_CONFIG, "base_url must be a string");
                b.configuredBaseUrl(base.stringValue());
            }
        }
        return b.build();
    }

    /**
     * Whether some request to {@code host} (a host name or IP literal, no port) may be allowed: it
     * matches a glob, or it is the host of the configured (or allowed default) {@code base_url}, for
     * which only that URL's scheme and port are allowed ({@link #allows(URI)}).
     */
    public boolean allows(String host) {
        String h = normalizeHost(host);
        if (h == null || h.isEmpty()) return false;
        if (h.equals(configuredHost)) return true;
        if (pluginDefaultAllowed && h.equals(pluginDefaultHost)) return true;
        return matchesGlob(h);
    }

    /** Whether a request to {@code uri} is allowed: a glob matches its host, or it has the configured (or allowed default) origin. */
    public boolean allows(URI uri) {
        Origin o = Origin.of(uri);
        if (o == null) return false;
        if (o.equals(configured)) return true;
        if (pluginDefaultAllowed && o.equals(pluginDefault)) return true;
        return matchesGlob(o.host());
    }

    private boolean matchesGlob(String h) {
        for (String g : globs) {
            if (globMatches(g, h)) return true;
        }
        return false;
    }

    /**
     * Checks a URL before connecting.
     *
     * @throws ProviderException kind {@link ProviderErrorKind#SANDBOX_DENIED} when the scheme is not
     *         http(s), the URL has no host, or the host is not allowed
     */
    public void check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ProviderException(ProviderErrorKind.SANDBOX_DENIED, "sandbox: URL scheme '" + scheme + "' is not allowed: " + uri);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new ProviderException(ProviderErrorKind.SANDBOX_DENIED, "sandbox: URL has no host: " + uri);
        }
        if (!allows(uri)) {
            String h = normalizeHost(host);
            Origin o = Origin.of(uri);
            if (h.equals(configuredHost) || (pluginDefaultAllowed && h.equals(pluginDefaultHost))) {
                throw new ProviderException(ProviderErrorKind.SANDBOX_DENIED, "sandbox: " + o + " is not allowed for this provider: only "
                        + (h.equals(configuredHost) ? "the configured base_url's origin " + configured : "the plugin default origin " + pluginDefault)
                        + " of host '" + h + "' is (another port or scheme of a base_url host needs an allowed_hosts entry in [providers.sandbox])");
            }
            throw new ProviderException(ProviderErrorKind.SANDBOX_DENIED, "sandbox: host '" + h + "' is not allowed for this provider" + describeWhy(h));
        }
    }

    /**
     * Whether the addresses of {@code uri}'s host are exempt from {@link #checkAddresses}: the user
     * opted in to private networks, or named this destination exactly, as the configured
     * {@code base_url} origin or as an {@code allowed_hosts} entry without wildcards (any port). A
     * wildcard glob or the plugin's own default never exempts a host.
     */
    public boolean trustsAddressesOf(URI uri) {
        if (allowPrivateNetworks) return true;
        Origin o = Origin.of(uri);
        if (o == null) return false;
        if (o.equals(configured)) return true;
        for (String g : globs) {
            if (!isWildcard(g) && g.equals(o.host())) return true;
        }
        return false;
    }

    /**
     * Checks the addresses {@code uri}'s host resolved to, unless {@link #trustsAddressesOf} exempts it.
     *
     * @throws ProviderException kind {@link ProviderErrorKind#SANDBOX_DENIED} naming the host and the
     *         first non-public address, and how to allow it
     */
    public void checkAddresses(URI uri, List<InetAddress> addresses) {
        if (trustsAddressesOf(uri)) return;
        String h = normalizeHost(uri.getHost());
        for (InetAddress a : addresses) {
            String range = IpRanges.nonPublicRange(a);
            if (range != null) {
                throw new ProviderException(ProviderErrorKind.SANDBOX_DENIED, "sandbox: host '" + h + "' resolves to "
                        + a.getHostAddress() + " (" + range + "), which this provider may not reach; to allow it, set base_url to this host, "
                        + "list '" + h + "' exactly in allowed_hosts, or set " + ALLOW_PRIVATE_NETWORKS + " = true (in [providers.sandbox])");
            }
        }
    }

    /** Whether the user opted in to loopback/private/link-local addresses for every allowed host. */
    public boolean allowsPrivateNetworks() {
        return allowPrivateNetworks;
    }

    private static boolean isWildcard(String glob) {
        return glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0 || glob.indexOf('[') >= 0;
    }

    private String describeWhy(String host) {
        if (host.equals(pluginDefaultHost) && configuredHost == null && isLocalOrPrivate(host)) {
            return " (the plugin's default base_url is a local/private address; configure base_url explicitly to use it, or set " + ALLOW_PRIVATE_NETWORKS + " = true in [providers.sandbox])";
        }
        return " (allowed: " + describe() + ")";
    }

    /** A human-readable list of what is allowed. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (configured != null) parts.add("base_url origin " + configured);
        if (pluginDefaultAllowed) parts.add("plugin default origin " + pluginDefault);
        if (!globs.isEmpty()) parts.add("allowed_hosts " + globs);
        if (allowPrivateNetworks && !parts.isEmpty()) parts.add("private networks");
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }

    /** The configured base_url's host, or null. */
    public String configuredHost() {
        return configuredHost;
    }

    /** The allowed_hosts globs (lower-cased). */
    public List<String> allowedHostGlobs() {
        return globs;
    }

    /**
     * Whether {@code host} names the local machine or a private/link-local network, judged from
     * the name alone: {@code localhost} and {@code *.localhost}; IPv4 0/8, 127/8, 10/8, 172.16/12,
     * 192.168/16, 169.254/16 (also in the short forms {@code 127.1} or {@code 2130706433} that
     * Java's resolver accepts); IPv6 {@code ::}, {@code ::1}, fc00::/7, fe80::/10, and IPv4-mapped
     * or IPv4-compatible forms of the IPv4 ranges.
     */
    public static boolean isLocalOrPrivate(String host) {
        String h = normalizeHost(host);
        if (h == null || h.isEmpty()) return false;
        if (h.equals("localhost") || h.endsWith(".localhost")) return true;
        if (h.indexOf(':') >= 0) {
            byte[] a = parseIpv6(h);
            if (a == null) return false;
            return isPrivateV6(a);
        }
        long v4 = parseIpv4(h);
        return v4 >= 0 && isPrivateV4(v4);
    }

    private static boolean isPrivateV4(long a) {
        int b0 = (int) (a >>> 24) & 0xff;
        int b1 = (int) (a >>> 16) & 0xff;
        return b0 == 0 || b0 == 127 || b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)
                || (b0 == 169 && b1 == 254);
    }

    private static boolean isPrivateV6(byte[] a) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) firstTenZero &= a[i] == 0;
        if (firstTenZero && ((a[10] == (byte) 0xff && a[11] == (byte) 0xff) || (a[10] == 0 && a[11] == 0))) {
            long v4 = ((a[12] & 0xffL) << 24) | ((a[13] & 0xffL) << 16) | ((a[14] & 0xffL) << 8) | (a[15] & 0xffL);
            // ::, ::1 and ::a.b.c.d / ::ffff:a.b.c.d
            return v4 <= 1 || isPrivateV4(v4);
        }
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        return (b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0x80);
    }

    /** IPv4 literal in the forms inet_aton/Java accept (a, a.b, a.b.c, a.b.c.d; decimal), or -1. */
    static long parseIpv4(String h) {
        if (h.isEmpty() || h.startsWith(".") || h.endsWith(".")) return -1;
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) return -1;
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 10) return -1;
            for (int k = 0; k < p.length(); k++) if (p.charAt(k) < '0' || p.charAt(k) > '9') return -1;
            v[i] = Long.parseLong(p);
        }
        long r;
        switch (parts.length) {
            case 1 -> { if (v[0] > 0xffffffffL) return -1; r = v[0]; }
            case 2 -> { if (v[0] > 255 || v[1] > 0xffffffL) return -1; r = (v[0] << 24) | v[1]; }
            case 3 -> { if (v[0] > 255 || v[1] > 255 || v[2] > 0xffffL) return -1; r = (v[0] << 24) | (v[1] << 16) | v[2]; }
            default -> {
                for (long x : v) if (x > 255) return -1;
                r = (v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];
            }
        }
        return r;
    }

    /** IPv6 literal (no brackets, optional %zone, optional trailing dotted IPv4) as 16 bytes, or null. */
    static byte[] parseIpv6(String h) {
        int pct = h.indexOf('%');
        if (pct >= 0) h = h.substring(0, pct);
        byte[] out = new byte[16];
        String head = h;
        String tail = null;
        int dc = h.indexOf("::");
        if (dc >= 0) {
            if (h.indexOf("::", dc + 1) >= 0) return null;
            head = h.substring(0, dc);
            tail = h.substring(dc + 2);
        }
        List<Integer> hw = groups(head);
        List<Integer> tw = tail == null ? List.of() : groups(tail);
        if (hw == null || tw == null) return null;
        int total = hw.size() + tw.size();
        if (tail == null ? total != 8 : total > 7) return null;
        int i = 0;
        for (int g : hw) { out[i++] = (byte) (g >>> 8); out[i++] = (byte) g; }
        i = 16 - tw.size() * 2;
        for (int g : tw) { out[i++] = (byte) (g >>> 8); out[i++] = (byte) g; }
        return out;
    }

    private static List<Integer> groups(String s) {
        List<Integer> r = new ArrayList<>();
        if (s.isEmpty()) return r;
        String[] parts = s.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                String[] q = p.split("\\.", -1);
                if (q.length != 4) return null;
                long v4 = parseIpv4(p);
                if (v4 < 0) return null;
                r.add((int) (v4 >>> 16));
                r.add((int) (v4 & 0xffff));
                continue;
            }
            if (p.isEmpty() || p.length() > 4) return null;
            try {
                r.add(Integer.parseInt(p, 16));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return r;
    }

    /** Lower-cases, strips IPv6 brackets and a trailing dot. */
    static String normalizeHost(String host) {
        if (host == null) return null;
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }

    /** The host of a URL string, normalised, or null if it has none or does not parse. */
    public static String hostOf(String url) {
        if (url == null || url.isBlank()) return null;
        try {
            URI u = new URI(url.trim());
            String h = u.getHost();
            return h == null || h.isEmpty() ? null : normalizeHost(h);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Extism-style glob match: {@code *} any run (dots included), {@code ?} one char, {@code [..]} classes. */
    static boolean globMatches(String pattern, String text) {
        return glob(pattern, 0, text, 0);
    }

    private static boolean glob(String p, int pi, String t, int ti) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') pi++;
                if (pi == p.length()) return true;
                for (int k = ti; k <= t.length(); k++) {
                    if (glob(p, pi, t, k)) return true;
                }
                return false;
            }
            if (ti >= t.length()) return false;
            if (c == '?') {
                pi++;
                ti++;
            } else if (c == '[') {
                int end = p.indexOf(']', pi + 2);
                if (end < 0) {
                    if (t.charAt(ti) != '[') return false;
                    pi++;
                    ti++;
                    continue;
                }
                boolean negate = p.charAt(pi + 1) == '!';
                String cls = p.substring(pi + (negate ? 2 : 1), end);
                boolean in = classContains(cls, t.charAt(ti));
                if (in == negate) return false;
                pi = end + 1;
                ti++;
            } else {
                if (c != t.charAt(ti)) return false;
                pi++;
                ti++;
            }
        }
        return ti == t.length();
    }

    private static boolean classContains(String cls, char ch) {
        for (int i = 0; i < cls.length(); i++) {
            if (i + 2 < cls.length() && cls.charAt(i + 1) == '-') {
                if (ch >= cls.charAt(i) && ch <= cls.charAt(i + 2)) return true;
                i += 2;
            } else if (cls.charAt(i) == ch) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "NetworkPolicy[" + describe() + "]";
    }

    /** Builds a {@link NetworkPolicy}. */
    public static final class Builder {
        private Origin configured;
        private Origin pluginDefault;
        private final Set<String> globs = new LinkedHashSet<>();
        private boolean allowPrivateNetworks;

        private Builder() {}

        /**
         * The base URL the user configured; its origin (scheme, host, port) is always allowed.
         *
         * @throws ProviderException {@link ProviderErrorKind#INVALID_CONFIG} if it has no host
         */
        public Builder configuredBaseUrl(String url) {
            if (url == null) {
                configured = null;
                return this;
            }
            Origin o = Origin.of(url);
            if (o == null) throw new ProviderException(ProviderErrorKind.INVALID_CONFIG, "invalid base_url (no host): " + url);
            configured = o;
            return this;
        }

        /** The plugin's own default base URL (ignored if blank or unparsable). */
        public Builder pluginDefaultBaseUrl(String url) {
            pluginDefault = Origin.of(url);
            return this;
        }

        /** Adds one allowed host glob. */
        public Builder allowedHost(String glob) {
            String g = normalizeHost(glob);
            if (g != null && !g.isEmpty()) globs.add(g);
            return this;
        }

        /** Adds allowed host globs. */
        public Builder allowedHosts(Collection<String> hostGlobs) {
            hostGlobs.forEach(this::allowedHost);
            return this;
        }

        /**
         * Lets every allowed host reach loopback, private and link-local addresses (off by default;
         * {@code allow_private_networks = true} in {@code [providers.sandbox]} does the same). Also lets a local
         * plugin default {@code base_url} through when no {@code base_url} is configured.
         */
        public Builder allowPrivateNetworks(boolean allow) {
            allowPrivateNetworks = allow;
            return this;
        }

        public NetworkPolicy build() {
            return new NetworkPolicy(configured, pluginDefault, new ArrayList<>(globs), allowPrivateNetworks);
        }
    }
}
