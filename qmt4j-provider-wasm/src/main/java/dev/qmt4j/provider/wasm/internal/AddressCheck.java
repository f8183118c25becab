package dev.qmt4j.provider.wasm.internal;

import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.wasm.PluginSandboxException;
import dev.qmt4j.wasm.WasmManifest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS half of the sandbox: resolves a URL's host before connecting and lets
 * {@link NetworkPolicy#checkAddresses} refuse non-public answers, then resolves again once the
 * response head has arrived and refuses the response if the answer changed to a non-public one.
 *
 * <p>Why this holds: the JDK's {@code HttpClient} resolves the same host string through
 * {@link InetAddress}, whose positive cache keeps an answer for {@code networkaddress.cache.ttl}
 * seconds (30 by default) whatever TTL the DNS server gave. So the client's lookup, moments after
 * {@link #before}, normally gets the checked answer. If the cache entry expires exactly in between,
 * the client's fresh answer is what the cache holds when {@link #after} looks again (the server
 * behind a private address answers quickly, well within the TTL), so the response is refused; the
 * request itself has been sent by then. With {@code networkaddress.cache.ttl=0} no such guarantee
 * exists, which is logged once.
 */
public final class AddressCheck {
    private static final Logger LOG = LoggerFactory.getLogger(AddressCheck.class);
    private static volatile boolean warnedNoCache;

    /** Resolves host names; {@link #SYSTEM} (InetAddress and its cache, as the HTTP client uses) outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The JVM's resolver, shared with {@code java.net.http.HttpClient}. */
    public static final Resolver SYSTEM = InetAddress::getAllByName;

    private final Resolver resolver;

    public AddressCheck(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Before connecting to {@code uri} (whose host {@link NetworkPolicy#check} already allowed):
     * resolves the host exactly as the HTTP client will, and checks every address.
     *
     * @return the addresses checked; empty when the policy trusts the host's addresses (no lookup)
     * @throws UnknownHostException when the name does not resolve (a network failure, not a denial)
     * @throws ProviderException kind {@link ProviderErrorKind#SANDBOX_DENIED} for a non-public address
     */
    public List<InetAddress> before(NetworkPolicy policy, URI uri) throws UnknownHostException {
        String host = uri.getHost();
        if (policy.trustsAddressesOf(uri)) return List.of();
        warnIfUncached();
        List<InetAddress> addresses = List.of(resolver.resolve(host));
        policy.checkAddresses(uri, addresses);
        return addresses;
    }

    /**
     * After the response head from {@code uri} arrived: resolves again and, if the answer is not the
     * one {@link #before} checked, checks the new one.
     *
     * @throws ProviderException kind {@link ProviderErrorKind#SANDBOX_DENIED} when the host now resolves
     *         to a non-public address, or no longer resolves
     */
    public void after(NetworkPolicy policy, URI uri, List<InetAddress> checked) {
        if (checked.isEmpty()) return;
        String host = uri.getHost();
        List<InetAddress> now;
        try {
            now = List.of(resolver.resolve(host));
        } catch (UnknownHostException e) {
            throw new ProviderException(ProviderErrorKind.SANDBOX_DENIED, "sandbox: host '" + host
                    + "' no longer resolves after the request, so the address it was sent to cannot be confirmed; response discarded");
        }
        if (Set.copyOf(now).equals(Set.copyOf(checked))) return;
        try {
            policy.checkAddresses(uri, now);
        } catch (ProviderException e) {
            throw new ProviderException(ProviderErrorKind.SANDBOX_DENIED, e.getMessage()
                    + " (its answer changed after the check, as in DNS rebinding; response discarded)");
        }
    }

    /**
     * The same pre-connect check for Extism's built-in {@code http_request} (run by qmt4j-wasm at
     * every hop): the destination's origin ({@link NetworkPolicy#check}: the manifest's
     * {@code allowed_hosts} match host names only, so a {@code base_url} host at another port is
     * refused here), then its addresses. A refusal becomes the {@link PluginSandboxException} that path uses; a name that
     * does not resolve is left to the HTTP client, which reports it as a failed request.
     */
    public static WasmManifest.ConnectCheck forExtism(NetworkPolicy policy, Resolver resolver) {
        AddressCheck check = new AddressCheck(resolver);
        return uri -> {
            try {
                policy.check(uri);
                check.before(policy, uri);
            } catch (UnknownHostException e) {
                // not a policy decision
            } catch (ProviderException e) {
                throw new PluginSandboxException(PluginSandboxException.Reason.HOST, e.getMessage(),
                        "set base_url to this host, list it exactly in allowed_hosts, or set " + NetworkPolicy.ALLOW_PRIVATE_NETWORKS + " = true in [providers.sandbox]");
            }
        };
    }

    private static void warnIfUncached() {
        if (warnedNoCache || positiveCacheSeconds() != 0) return;
        warnedNoCache = true;
        LOG.warn("JVM DNS caching is off (networkaddress.cache.ttl=0): the provider sandbox cannot be sure the HTTP client "
                + "connects to the address it checked; leave the cache on (default 30 s) where plugins are untrusted");
    }

    /** The JVM's positive DNS cache time: the security property, else the system property, else 30 s. */
    static int positiveCacheSeconds() {
        for (String v : new String[] {Security.getProperty("networkaddress.cache.ttl"), System.getProperty("sun.net.inetaddr.ttl")}) {
            if (v == null) continue;
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException ignored) {
                // the JDK ignores a malformed value too
            }
        }
        return 30;
    }
}
