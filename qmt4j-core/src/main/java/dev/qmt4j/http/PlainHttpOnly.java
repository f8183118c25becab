package dev.qmt4j.http;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context of the client that only ever carries {@code http://} requests: one that cannot make a
 * connection. Why: the JDK's {@code HttpClient} builds the default {@link SSLContext} in its constructor
 * when given none (loading the JDK's TLS code and its ~150 trusted certificates, 0.2-0.4 s of CPU), although a
 * plain-HTTP registry never needs it. {@link HttpAccess} sends {@code https://} requests on a second client,
 * built with the real context on first use, so this one's refusal is never reached.
 */
final class PlainHttpOnly {
    /** The context; any use beyond the default parameters fails with {@link IllegalStateException}. */
    static final SSLContext CONTEXT = new SSLContext(new Refusing(), null, "none") {};

    private PlainHttpOnly() {}

    private static final class Refusing extends SSLContextSpi {
        private static IllegalStateException refused() {
            return new IllegalStateException("TLS on qmt4j's plain-HTTP client: https:// requests go to the TLS client");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters(); // read once by the HttpClient's constructor, never used for a connection
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }
    }
}
