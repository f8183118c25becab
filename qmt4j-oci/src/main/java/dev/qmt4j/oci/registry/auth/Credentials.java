package dev.qmt4j.oci.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** What we can prove to a registry: a user and password, or an OAuth2 identity (refresh) token. */
public sealed interface Credentials {

    /** A user name and password (or personal access token). */
    record Basic(String username, String password) implements Credentials {
        /** The {@code Authorization} header value. */
        public String header() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Basic[" + username + ", password hidden]";
        }
    }

    /** An identity token from {@code docker login}, exchanged for access tokens by the OAuth2 refresh grant. */
    record IdentityToken(String token) implements Credentials {
        @Override
        public String toString() {
            return "IdentityToken[hidden]";
        }
    }
}
