package dev.qmt4j.host;

import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.config.OciSettings;
import dev.qmt4j.http.CaCertificates;
import dev.qmt4j.http.NetworkSettings;
import dev.qmt4j.http.proxy.EnvironmentProxySelector;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.SignatureVerifier;
import dev.qmt4j.oci.layout.OciLayoutSource;
import dev.qmt4j.oci.layout.OciLayoutTarget;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryRoutes;
import dev.qmt4j.pull.PluginPuller;
import dev.qmt4j.pull.RefreshPolicy;
import java.net.ProxySelector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place that turns the {@code [oci]} settings and the environment into OCI access, for the plugin
 * host ({@code oci://} and {@code oci-layout://} providers, {@code https://} downloads) and the CLI
 * ({@code pull}, {@code push}, {@code inspect}, {@code verify}, {@code doctor}), so a setting added to
 * {@code [oci]} reaches both by one change here.
 *
 * <ul>
 *   <li>the registry client: {@code insecure_registries}, credentials from the Docker config and
 *       {@code REGISTRY_AUTH_FILE} (through {@code env} and {@code home}), proxies, and the extra CA certificates;</li>
 *   <li>the proxies of {@code env} ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY}) and the extra CA
 *       certificates together as {@link #network()}, for every other HTTP client (TUF, {@code https://} downloads);</li>
 *   <li>the extra CA certificates: {@code [oci] ca_certificates}, then the files {@value CaCertificates#ENV} names,
 *       added to the JDK's trust anchors for registries, token servers and {@code https://} plugin downloads;</li>
 *   <li>sources and targets: layouts opened directly, registries through the client;</li>
 *   <li>a puller builder with the cache, the sources, the verifier, {@code refresh} and the host platform.</li>
 * </ul>
 *
 * <p>Everything is built on first use: a cache hit or an {@code oci-layout://} source never creates (or
 * loads the classes of) the HTTP client; CA files are read when a registry or {@code https://} client is first
 * needed, and the TLS context is built only for the first {@code https://} request (or loopback TLS probe).
 * Thread-safe.
 */
public final class OciConnections {
    private final OciSettings settings;
    private final Map<String, String> env;
    private final Path home;
    private final List<Path> extraCaFiles;
    private volatile CaCertificates ca;
    private volatile RegistryAccess registry;
    private volatile NetworkSettings network;

    /**
     * @param settings the {@code [oci]} table (or {@link OciSettings#defaults()})
     * @param env      the environment: credentials ({@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE}) and {@value CaCertificates#ENV}
     * @param home     the home directory, for {@code ~/.docker/config.json}
     */
    public OciConnections(OciSettings settings, Map<String, String> env, Path home) {
        this(settings, env, home, List.of());
    }

    /** As {@link #OciConnections(OciSettings, Map, Path)}, trusting {@code extraCaFiles} (PEM) too, after the others. */
    public OciConnections(OciSettings settings, Map<String, String> env, Path home, List<Path> extraCaFiles) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.env = Map.copyOf(env);
        this.home = Objects.requireNonNull(home, "home");
        this.extraCaFiles = List.copyOf(extraCaFiles);
    }

    /** The {@code [oci]} settings in use. */
    public OciSettings settings() {
        return settings;
    }

    /**
     * The extra CA files: {@code [oci] ca_certificates}, then those {@value CaCertificates#ENV} names, then
     * those given to the constructor.
     */
    public List<Path> caCertificateFiles() {
        List<Path> files = new ArrayList<>(settings.caCertificates());
        List<Path> more = new ArrayList<>(CaCertificates.fromEnvironment(env));
        more.addAll(extraCaFiles);
        for (Path p : more) {
            if (!files.contains(p)) {
                files.add(p);
            }
        }
        return files;
    }

    /**
     * The extra CA certificates, read on first use.
     *
     * @throws dev.qmt4j.Qmt4jException {@code CONFIG} naming a file that is missing, unreadable or not PEM
     */
    public CaCertificates caCertificates() {
        CaCertificates c = ca;
        if (c == null) {
            synchronized (this) {
                if (ca == null) {
                    ca = CaCertificates.load(caCertificateFiles());
                }
                c = ca;
            }
        }
        return c;
    }

    /**
     * The proxies of the environment given ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY}, lower-case
     * too; a user and password in the URL are sent to the proxy); empty when none is set.
     *
     * @throws dev.qmt4j.Qmt4jException {@code CONFIG} naming a proxy variable that is set to something unusable
     */
    public Optional<ProxySelector> proxies() {
        return EnvironmentProxySelector.fromEnvironment(env);
    }

    /**
     * The trust and proxies every HTTP client of qmt4j uses, whatever it talks to: registries and token servers,
     * Sigstore's TUF repository, {@code https://} plugin downloads. Reads the CA files on first use.
     */
    public NetworkSettings network() {
        NetworkSettings n = network;
        if (n == null) {
            synchronized (this) {
                if (network == null) {
                    network = new NetworkSettings(caCertificates(), proxies());
                }
                n = network;
            }
        }
        return n;
    }

    /** The registry client, created on first use and shared (connection pool, token cache). */
    public RegistryClient registryClient() {
        return registry().client();
    }

    /**
     * The {@code [[oci.registry]]} tables as routes (mirrors, remaps, blocks; docs/mirrors.md), without building
     * the HTTP client: {@code inspect --route} and {@code doctor} explain them offline.
     */
    public RegistryRoutes routes() {
        return RegistryAccess.routes(settings);
    }

    /** Opens {@code ref}: a layout directly, a registry through the client (and its mirrors). */
    public ImageSource source(ImageRef ref) {
        if (ref instanceof LayoutRef layout) {
            return new OciLayoutSource(layout);
        }
        return registry().source((RegistryRef) ref);
    }

    /**
     * Opens {@code ref} for a read that precedes a write to it (signing reads the image and its existing
     * signatures, then writes them back): straight from the registry the reference names, never a mirror, whose
     * copy may be stale (docs/mirrors.md).
     */
    public ImageSource sourceForWrite(ImageRef ref) {
        if (ref instanceof LayoutRef layout) {
            return new OciLayoutSource(layout);
        }
        return registryClient().source((RegistryRef) ref);
    }

    /** Opens {@code ref} for writing: a layout directly, a registry through the client. */
    public ImageTarget target(ImageRef ref) {
        if (ref instanceof LayoutRef layout) {
            return new OciLayoutTarget(layout);
        }
        return registry().target((RegistryRef) ref);
    }

    /**
     * A puller over {@code cache} with these sources, {@code verifier}, the {@code refresh} policy of
     * {@code [oci]} and this machine's platform; callers may change any of them before {@code build()}.
     */
    public PluginPuller.Builder puller(PluginCache cache, SignatureVerifier verifier) {
        return PluginPuller.builder().cache(cache).sources(this::source).verifier(verifier)
                .refresh(RefreshPolicy.parse(settings.refresh())).hostPlatform(Platform.host());
    }

    private RegistryAccess registry() {
        RegistryAccess r = registry;
        if (r == null) {
            synchronized (this) {
                if (registry == null) {
                    registry = new RegistryAccess(settings, env, home, network());
                }
                r = registry;
            }
        }
        return r;
    }
}
