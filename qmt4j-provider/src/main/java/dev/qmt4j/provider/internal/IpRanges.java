package dev.qmt4j.provider.internal;

import java.net.InetAddress;

/**
 * Classifies a resolved address as public or as one of the ranges a sandboxed plugin must not reach
 * unless the user allowed it: the local machine, private and shared networks, link-local (where the
 * cloud metadata services live: 169.254.169.254, fd00:ec2::254), multicast and reserved space. IPv6
 * forms that embed an IPv4 address (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are
 * judged by the embedded address.
 */
public final class IpRanges {
    private IpRanges() {}

    /** The range {@code address} falls in ("loopback", "private", "link-local", ...), or null if it is public. */
    public static String nonPublicRange(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == 4 ? v4(u32(a, 0)) : v6(a);
    }

    private static String v4(long a) {
        int b0 = (int) (a >>> 24) & 0xff;
        int b1 = (int) (a >>> 16) & 0xff;
        int b2 = (int) (a >>> 8) & 0xff;
        if (b0 == 127) return "loopback";
        if (b0 == 0) return "unspecified (this host)";
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) return "private";
        if (b0 == 169 && b1 == 254) return "link-local (cloud metadata)";
        // 100.64/10 is carrier-grade NAT space; some clouds put their metadata service there.
        if (b0 == 100 && (b1 & 0xc0) == 64) return "shared address space";
        if (b0 == 192 && b1 == 0 && b2 == 0) return "IETF protocol assignments";
        if (b0 == 198 && (b1 & 0xfe) == 18) return "benchmarking";
        if (b0 >= 224 && b0 <= 239) return "multicast";
        if (b0 >= 240) return "reserved";
        return null;
    }

    private static String v6(byte[] a) {
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) zero10 &= a[i] == 0;
        if (zero10 && a[10] == 0 && a[11] == 0) {
            long low = u32(a, 12);
            if (low == 0) return "unspecified (this host)";
            if (low == 1) return "loopback";
            return v4(low); // IPv4-compatible ::a.b.c.d (deprecated)
        }
        if (zero10 && a[10] == (byte) 0xff && a[11] == (byte) 0xff) return v4(u32(a, 12));
        int w0 = ((a[0] & 0xff) << 8) | (a[1] & 0xff);
        int w1 = ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            boolean wellKnown = true;
            for (int i = 4; i < 12; i++) wellKnown &= a[i] == 0;
            return wellKnown ? v4(u32(a, 12)) : w(a, 4) == 1 ? "private (local-use NAT64)" : null;
        }
        if (w0 == 0x2002) return v4(u32(a, 2));
        if (w0 == 0x2001 && w1 == 0) return "Teredo tunnel";
        if (w0 == 0x0100 && w1 == 0 && w(a, 4) == 0 && w(a, 6) == 0) return "discard";
        if ((w0 & 0xfe00) == 0xfc00) return "private (unique local)";
        if ((w0 & 0xffc0) == 0xfe80) return "link-local";
        if ((w0 & 0xffc0) == 0xfec0) return "site-local";
        if ((w0 & 0xff00) == 0xff00) return "multicast";
        return null;
    }

    private static int w(byte[] a, int i) {
        return ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
    }

    private static long u32(byte[] a, int i) {
        return ((a[i] & 0xffL) << 24) | ((a[i + 1] & 0xffL) << 16) | ((a[i + 2] & 0xffL) << 8) | (a[i + 3] & 0xffL);
    }
}
