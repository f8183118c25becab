package dev.qmt4j.oci.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Tells whether a loopback registry speaks TLS, as Docker does for {@code 127.0.0.0/8} (HTTPS first, plain
 * HTTP when the server does not speak TLS), so a local registry with a certificate is reached over HTTPS
 * and its certificate checked, while the usual plain-HTTP local registry keeps working.
 *
 * <p>It sends a TLS ClientHello and looks at the first byte of the answer: a TLS record (handshake or
 * alert) means TLS; anything else (a plain HTTP {@code 400}), a closed connection, or silence means
 * plain HTTP. No certificate is checked here: the real requests do that.
 */
final class TlsProbe {
    private static final int TLS_ALERT = 21;
    private static final int TLS_HANDSHAKE = 22;

    private TlsProbe() {}

    /** True for TLS, false for plain HTTP, empty when the server cannot be reached (decide later). */
    static Optional<Boolean> speaksTls(SSLContext context, String host, int port, Duration connectTimeout, Duration readTimeout) {
        byte[] hello;
        try {
            hello = clientHello(context, host, port);
        } catch (SSLException e) {
            return Optional.empty();
        }
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

    private static byte[] clientHello(SSLContext context, String host, int port) throws SSLException {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        engine.closeOutbound();
        return bytes;
    }
}
