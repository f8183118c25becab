package dev.qmt4j.provider.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals only: InetAddress parses them without any lookup. */
class IpRangesTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, loopback", "127.255.255.254, loopback", "::1, loopback", "0.0.0.0, unspecified (this host)",
        ":: , unspecified (this host)", "10.0.0.1, private", "172.16.0.1, private", "172.31.255.255, private",
        "192.168.1.1, private", "169.254.169.254, link-local (cloud metadata)", "100.100.100.200, shared address space",
        "100.64.0.1, shared address space", "192.0.0.192, IETF protocol assignments", "198.18.0.1, benchmarking",
        "224.0.0.1, multicast", "240.0.0.1, reserved", "255.255.255.255, reserved",
        "fd00:ec2::254, private (unique local)", "fc00::1, private (unique local)", "fe80::1, link-local",
        "fec0::1, site-local", "ff02::1, multicast", "::ffff:169.254.169.254, link-local (cloud metadata)",
        "::127.0.0.1, loopback", "64:ff9b::10.0.0.1, private", "64:ff9b:1::5, private (local-use NAT64)",
        "2002:7f00:1::1, loopback", "2002:a9fe:a9fe::1, link-local (cloud metadata)", "2001:0:4136:e378::1, Teredo tunnel",
        "100::1, discard"})
    void nonPublic(String literal, String range) throws Exception {
        assertEquals(range, IpRanges.nonPublicRange(InetAddress.getByName(literal.trim())), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.215.14", "172.15.255.255", "172.32.0.1", "192.169.0.1",
        "169.253.255.255", "100.63.255.255", "100.128.0.1", "198.20.0.1", "223.255.255.255", "11.0.0.1",
        "2606:4700:4700::1111", "2001:4860:4860::8888", "64:ff9b::8.8.8.8", "2002:808:808::1", "::ffff:8.8.8.8", "fbff::1"})
    void isPublic(String literal) throws Exception {
        assertNull(IpRanges.nonPublicRange(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.9.8.7", "::1"})
    void mappedFormsAreJudgedLikeTheirIpv4(String literal) throws Exception {
        byte[] v4 = InetAddress.getByName(literal.equals("::1") ? "127.0.0.1" : literal).getAddress();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4, 0, mapped, 12, 4);
        // getByAddress turns a mapped address into an Inet4Address; raw bytes from DNS take the same path
        assertNotNull(IpRanges.nonPublicRange(InetAddress.getByAddress(mapped)));
    }
}
