package dev.qmt4j.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.testkit.ForwardingProxy;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The local CONNECT relay lends the proxy's credentials to nobody but our own clients. */
class TunnelRelayTest {

    private static String connect(TunnelRelay relay, String authorization) throws IOException {
        try (Socket s = new Socket(relay.address().getAddress(), relay.address().getPort())) {
            String request = "CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n"
                    + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n") + "\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return TunnelRelay.readHead(s.getInputStream()).split("\r\n")[0];
        }
    }

    @Test
    void aConnectWithoutTheRelayTokenNeverReachesTheProxy() throws IOException {
        try (ForwardingProxy proxy = ForwardingProxy.start("u", "p")) {
            TunnelRelay relay = TunnelRelay.forUpstream(new ProxyEndpoint("127.0.0.1", proxy.port(), Optional.of("u"), Optional.of("p")));
            assertTrue(relay.address().getAddress().isLoopbackAddress());
            assertEquals("HTTP/1.1 403 Forbidden", connect(relay, null));
            assertEquals("HTTP/1.1 403 Forbidden", connect(relay, "Basic dTpw"));
            assertEquals("HTTP/1.1 403 Forbidden", connect(relay, TunnelRelay.SCHEME + " not-the-token"));
            assertEquals(List.of(), proxy.tunnels(), "nothing was forwarded");
            assertEquals(0, proxy.refused());

            // With the token, the CONNECT goes on to the proxy with the Basic credentials; the proxy's own answer
            // (here: it cannot reach example.test, a 5xx) comes back.
            String answer = connect(relay, relay.authorization());
            assertTrue(answer.startsWith("HTTP/1.1 5"), answer);
            assertEquals(0, proxy.refused(), answer);
        }
    }

    @Test
    void aRefusalOfTheProxyComesBackAsItsStatus() throws IOException {
        try (ForwardingProxy proxy = ForwardingProxy.start("u", "right")) {
            TunnelRelay relay = TunnelRelay.forUpstream(new ProxyEndpoint("127.0.0.1", proxy.port(), Optional.of("u"), Optional.of("wrong")));
            assertTrue(connect(relay, relay.authorization()).startsWith("HTTP/1.1 407"));
            assertEquals(1, proxy.refused());
        }
    }
}
