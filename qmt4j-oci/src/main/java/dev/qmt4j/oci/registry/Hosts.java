package dev.qmt4j.oci.registry;

import java.util.Collection;
import java.util.Locale;

/** Host-name rules: what counts as loopback, and which scheme a registry is spoken to with. */
final class Hosts {
    private Hosts() {}

    /** {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}, with or without brackets. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = h.split("\\.");
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The host part of {@code host[:port]} (IPv6 literals keep their brackets). */
    static String hostPart(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(0, end + 1);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    /**
     * Plain HTTP for loopback and listed insecure registries (by host:port or host), HTTPS for the rest.
     * For a loopback registry not listed, {@link RegistryClient} then checks whether it speaks TLS.
     */
    static String scheme(String hostPort, Collection<String> insecure) {
        boolean plain = isLoopback(hostPart(hostPort)) || listedInsecure(hostPort, insecure);
        return plain ? "http" : "https";
    }

    /** Whether {@code insecure_registries} names this registry (by host:port or host). */
    static boolean listedInsecure(String hostPort, Collection<String> insecure) {
        return insecure.contains(hostPort.toLowerCase(Locale.ROOT)) || insecure.contains(hostPart(hostPort).toLowerCase(Locale.ROOT));
    }
}
