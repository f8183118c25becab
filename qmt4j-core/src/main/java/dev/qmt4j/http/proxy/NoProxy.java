package dev.qmt4j.http.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosts a {@code NO_PROXY} list exempts from the proxy, matched as curl does, plus ports and {@code *.}:
 *
 * <ul>
 *   <li>{@code *}: every host;</li>
 *   <li>{@code example.com}, {@code .example.com}, {@code *.example.com}: that host and every host under it
 *       (a leading dot or {@code *.} changes nothing; trailing dots are ignored);</li>
 *   <li>an IP address ({@code 10.1.2.3}, {@code ::1}, {@code [::1]}) or a CIDR range ({@code 10.0.0.0/8},
 *       {@code fd00::/8}, {@code ::1/128}): hosts written as an IP address in it, never names (no DNS look-up,
 *       like curl and Go);</li>
 *   <li>any of these with {@code :port} ({@code [::1]:5000} for IPv6): only that port (curl ignores such entries,
 *       Go and Docker honour them).</li>
 * </ul>
 *
 * Entries are separated by commas or blanks and compared case-insensitively. An entry that is none of these
 * (e.g. {@code 10.0.0.0/33}) is ignored with a warning, as curl ignores it silently.
 */
public final class NoProxy {
    private static final Logger LOG = LoggerFactory.getLogger(NoProxy.class);
    private static final NoProxy NONE = new NoProxy(List.of(), false);

    /** One parsed entry; {@code port} 0 means any port. */
    private sealed interface Rule {
        int port();
    }

    private record Domain(String name, int port) implements Rule {}

    private record Cidr(byte[] network, int bits, int port) implements Rule {}

    private final List<Rule> rules;
    private final boolean all;

    private NoProxy(List<Rule> rules, boolean all) {
        this.rules = List.copyOf(rules);
        this.all = all;
    }

    /** Exempts nothing. */
    public static NoProxy none() {
        return NONE;
    }

    /** Parses a {@code NO_PROXY} value; {@code null} or blank exempts nothing. */
    public static NoProxy parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        boolean all = false;
        for (String raw : list.trim().split("[,\\s]+")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                all = true;
                continue;
            }
            Optional<Rule> rule = rule(entry);
            if (rule.isPresent()) {
                rules.add(rule.get());
            } else {
                LOG.warn("ignoring NO_PROXY entry '{}': not a host name, IP address or CIDR range", raw);
            }
        }
        return new NoProxy(rules, all);
    }

    /** Whether {@code host} (a name or an IP literal, IPv6 with or without brackets) on {@code port} bypasses the proxy. */
    public boolean matches(String host, int port) {
        if (all) {
            return true;
        }
        String h = stripBrackets(host.toLowerCase(Locale.ROOT));
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        byte[] ip = ipLiteral(h);
        for (Rule r : rules) {
            if (r.port() != 0 && r.port() != port) {
                continue;
            }
            if (r instanceof Cidr c) {
                if (ip != null && inRange(ip, c)) {
                    return true;
                }
            } else if (r instanceof Domain d && ip == null) {
                if (h.equals(d.name()) || h.endsWith("." + d.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<Rule> rule(String entry) {
        String e = entry;
        int port = 0;
        // host:port and [v6]:port; a bare IPv6 address has several colons and no port.
        if (e.startsWith("[")) {
            int end = e.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            String rest = e.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.matches(":[0-9]{1,5}")) {
                    return Optional.empty();
                }
                port = Integer.parseInt(rest.substring(1));
            }
            e = e.substring(1, end);
        } else if (e.indexOf(':') >= 0 && e.indexOf(':') == e.lastIndexOf(':')) {
            String p = e.substring(e.indexOf(':') + 1);
            if (!p.matches("[0-9]{1,5}")) {
                return Optional.empty();
            }
            port = Integer.parseInt(p);
            e = e.substring(0, e.indexOf(':'));
        }
        if (port > 65535) {
            return Optional.empty();
        }
        int slash = e.indexOf('/');
        String address = slash < 0 ? e : e.substring(0, slash);
        byte[] ip = ipLiteral(stripBrackets(address));
        if (ip != null) {
            int max = ip.length * 8;
            int bits = max;
            if (slash >= 0) {
                String b = e.substring(slash + 1);
                if (!b.matches("[0-9]{1,3}") || Integer.parseInt(b) > max) {
                    return Optional.empty();
                }
                bits = Integer.parseInt(b);
            }
            return Optional.of(new Cidr(ip, bits, port));
        }
        if (slash >= 0) {
            return Optional.empty();
        }
        String name = e.startsWith("*.") ? e.substring(2) : e.startsWith(".") ? e.substring(1) : e;
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || !name.matches("[a-z0-9_.-]+")) {
            return Optional.empty();
        }
        return Optional.of(new Domain(name, port));
    }

    private static boolean inRange(byte[] ip, Cidr c) {
        byte[] net = c.network();
        if (ip.length != net.length) {
            return false;
        }
        int full = c.bits() / 8;
        for (int i = 0; i < full; i++) {
            if (ip[i] != net[i]) {
                return false;
            }
        }
        int rest = c.bits() % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (ip[full] & mask) == (net[full] & mask);
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /**
     * The bytes of an IPv4 (dotted quad) or IPv6 literal, or {@code null} for a name. Never a DNS look-up: only
     * strings that already are literals reach {@link InetAddress#getByName}. An IPv4-mapped IPv6 address counts
     * as its IPv4 address.
     */
    static byte[] ipLiteral(String s) {
        boolean v4 = s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = s.indexOf(':') >= 0 && s.matches("[0-9a-f:.]+(%[0-9a-z]+)?");
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String part : s.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
