package dev.qmt4j.oci.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tells whether a loopback registry speaks TLS, as Docker does for {@code 127.0.0.0/8} (HTTPS first, plain
 * HTTP when the server does not speak TLS), so a local registry with a certificate is reached over HTTPS
 * and its certificate checked, while the usual plain-HTTP local registry keeps working.
 *
 * <p>It sends a TLS ClientHello and looks at the first byte of the answer: a TLS record (handshake or
 * alert) means TLS; anything else (a plain HTTP {@code 400}), a closed connection, or silence means
 * plain HTTP. No certificate is checked here: the real requests do that.
 *
 * <p>The ClientHello is written here byte by byte (RFC 8446, section 4.1.2) rather than by an
 * {@code SSLEngine}: the probe never completes a handshake, and building the JDK's {@code SSLContext}
 * for it (cacerts, about 400 TLS classes) cost a cold pull from a plain-HTTP local registry about
 * 0.2 s of CPU (docs/benchmarks.md, "qmt4j pull against skopeo copy", run 8). Nothing of TLS is set up
 * for such a registry now; an HTTPS one gets its context from the first real request.
 */
final class TlsProbe {
    private static final int TLS_ALERT = 21;
    private static final int TLS_HANDSHAKE = 22;

    private TlsProbe() {}

    /** True for TLS, false for plain HTTP, empty when the server cannot be reached (decide later). */
    static Optional<Boolean> speaksTls(String host, int port, Duration connectTimeout, Duration readTimeout) {
        byte[] hello = clientHello(host);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            s.setSoTimeout((int) readTimeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(hello);
            out.flush();
            InputStream in = s.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException silent) {
                return Optional.of(false); // every TLS server answers a ClientHello at once
            } catch (IOException reset) {
                return Optional.of(false); // a plain server dropping the garbage it got
            }
            return Optional.of(first == TLS_HANDSHAKE || first == TLS_ALERT);
        } catch (IOException unreachable) {
            return Optional.empty();
        }
    }

    /**
     * A complete TLS record holding a ClientHello that any current server can answer: TLS 1.3 and 1.2,
     * AES-GCM and ChaCha20 suites, ECDHE over x25519 / P-256 / P-384, an x25519 key share (random bytes:
     * the handshake is never finished), and the server name when {@code host} is a name, not an address.
     */
    static byte[] clientHello(String host) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Bytes ext = new Bytes();
        if (!host.isEmpty() && !isAddress(host)) {
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            ext.u16(0).u16(name.length + 5).u16(name.length + 3).u8(0).u16(name.length).raw(name); // server_name
        }
        ext.u16(10).u16(8).u16(6).u16(0x001d).u16(0x0017).u16(0x0018); // supported_groups
        ext.u16(11).u16(2).u8(1).u8(0); // ec_point_formats: uncompressed
        int[] signatures = {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201};
        ext.u16(13).u16(2 + 2 * signatures.length).u16(2 * signatures.length); // signature_algorithms
        for (int sig : signatures) {
            ext.u16(sig);
        }
        ext.u16(43).u16(5).u8(4).u16(0x0304).u16(0x0303); // supported_versions: TLS 1.3, 1.2
        byte[] share = new byte[32];
        random.nextBytes(share);
        ext.u16(51).u16(38).u16(36).u16(0x001d).u16(32).raw(share); // key_share: x25519
        ext.u16(45).u16(2).u8(1).u8(1); // psk_key_exchange_modes: psk_dhe_ke (TLS 1.3 servers may want it)

        int[] suites = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x009d};
        byte[] clientRandom = new byte[32];
        byte[] sessionId = new byte[32];
        random.nextBytes(clientRandom);
        random.nextBytes(sessionId);
        Bytes body = new Bytes().u16(0x0303).raw(clientRandom).u8(32).raw(sessionId).u16(2 * suites.length);
        for (int suite : suites) {
            body.u16(suite);
        }
        body.u8(1).u8(0); // compression: null only
        byte[] extensions = ext.toByteArray();
        body.u16(extensions.length).raw(extensions);

        byte[] hello = body.toByteArray();
        Bytes handshake = new Bytes().u8(1).u24(hello.length).raw(hello); // client_hello
        byte[] h = handshake.toByteArray();
        return new Bytes().u8(TLS_HANDSHAKE).u16(0x0301).u16(h.length).raw(h).toByteArray();
    }

    /** An IPv4 or IPv6 literal (no server name is sent for those, RFC 6066 section 3). */
    private static boolean isAddress(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** Big-endian writer for the handshake's fixed-width fields. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes u8(int v) {
            write(v);
            return this;
        }

        Bytes u16(int v) {
            return u8(v >>> 8).u8(v & 0xff);
        }

        Bytes u24(int v) {
            return u8(v >>> 16).u16(v & 0xffff);
        }

        Bytes raw(byte[] b) {
            write(b, 0, b.length);
            return this;
        }
    }
}
