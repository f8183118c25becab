package dev.qmt4j.host;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.config.ConfigDiscovery;
import dev.qmt4j.config.ConfigFile;
import dev.qmt4j.config.FollowSettings;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.SignatureVerifier;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.Sandbox;
import dev.qmt4j.pull.PullListener;
import dev.qmt4j.pull.PullResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plugin host: the providers of one QueryMT-style config file, loaded on demand or all at once,
 * and hot-swapped by {@link #update()}.
 *
 * <pre>{@code
 * try (PluginRegistry registry = PluginRegistry.fromDefaultConfig()) {
 *     ProviderHandle openai = registry.builder("openai").model("gpt-4o-mini").build();
 *     JsonNode reply = openai.chat(messages, null);
 * }
 * }</pre>
 *
 * <p>Errors are values: {@link #loadAll()} and {@link #update()} return one result per provider,
 * and {@link #require(String)} throws the real cause. A plugin that cannot be fetched (not found,
 * auth, network, signature, platform, integrity) is a {@link ProviderLoadException} naming the
 * provider and the config file once; its cause is the source's own error. Thread-safe.
 */
public final class PluginRegistry implements AutoCloseable {
    private final ConfigFile config;
    private final Map<String, ProviderSlot> slots = new LinkedHashMap<>();
    private final Map<String, String> env;
    private final PluginLoader loader;
    private final OciAccess oci;
    private final UrlDownloader urls;
    private final String osName;
    private final Optional<Platform> platform;
    private final Map<String, UnaryOperator<Sandbox>> sandboxes;
    /** Locked mode (docs/locking.md), or null. */
    private final LockedMode locked;
    private volatile boolean closed;
    /** Started by {@link Builder#follow}; closed with the registry. */
    private volatile Follower follower;

    private PluginRegistry(Builder b, ConfigFile config) {
        this.config = config;
        this.env = Map.copyOf(b.env);
        this.osName = b.osName;
        this.platform = Optional.ofNullable(b.platform);
        this.sandboxes = Map.copyOf(b.sandboxes);
        Path cacheDir = dev.qmt4j.cache.CacheDirectory.resolve(b.cacheDir, config.oci().cacheDir(), env, osName, b.home);
        // Chicory's bytecode for each Wasm module is kept next to the plugins, so a provider loaded by a
        // later process is not compiled again (docs/wasm.md).
        this.loader = b.loader != null ? b.loader : DefaultPluginLoader.withCompileCache(cacheDir.resolve("wasm-compiled"));
        PluginCache cache = PluginCache.open(cacheDir,
                dev.qmt4j.files.CachePermissions.enabled(env, config.oci().cachePermissionsCheck()));
        OciConnections connections = new OciConnections(config.oci(), env, b.home, b.caCertificates);
        this.oci = new OciAccess(cache, connections, env, b.verifier);
        this.urls = new UrlDownloader(cacheDir, connections::network);
        this.locked = (b.locked != null ? b.locked : config.oci().lock().frozen())
                ? LockedMode.read(b.lockFile != null ? b.lockFile : lockFile(config)) : null;
        for (ProviderEntry e : config.providers()) {
            slots.put(e.name(), new ProviderSlot(e));
        }
    }

    /** The lockfile of {@code config}: {@code [oci] lock_file}, else {@code qmt4j.lock} beside the config file (docs/locking.md). */
    public static Path lockFile(ConfigFile config) {
        return config.oci().lock().file()
                .orElseGet(() -> config.source().toAbsolutePath().getParent().resolve(LockFile.DEFAULT_NAME));
    }

    /** A registry over {@code file} with the process environment and the default cache. */
    public static PluginRegistry fromPath(Path file) {
        return builder().config(file).build();
    }

    /** A registry over the discovered config ({@link ConfigDiscovery}). */
    public static PluginRegistry fromDefaultConfig() {
        return builder().build();
    }

    /** Starts a registry with explicit settings (config path, environment, home, cache, verifier, loader). */
    public static Builder builder() {
        return new Builder();
    }

    /** The config file in use. */
    public ConfigFile configFile() {
        return config;
    }

    /** The configured provider names, in file order. */
    public List<String> names() {
        return List.copyOf(slots.keySet());
    }

    /** The outcome for each provider loaded or attempted so far, in file order. */
    public List<LoadResult> list() {
        List<LoadResult> out = new ArrayList<>();
        for (ProviderSlot s : slots.values()) {
            LoadResult r = s.lastResult();
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The source of {@code name} as configured. */
    public PluginSource source(String name) {
        return sourceOf(slot(name).entry());
    }

    /**
     * The SHA-256 of the plugin file of a local or {@code https://} provider: the local
     * file hashed, or the download (or its cached copy, when the config pins it) hashed as it is stored. Nothing
     * is instantiated, so no plugin code runs; what {@code qmt4j lock} records for such a provider (docs/locking.md).
     *
     * @throws Qmt4jException {@code USAGE} for an OCI provider (its pin is a manifest digest), else the fetch's error
     */
    public Digest fileDigest(String name) {
        ProviderEntry e = slot(name).entry();
        if (sourceOf(e) instanceof PluginSource.Oci) {
            throw new Qmt4jException(ErrorKind.USAGE, "provider '" + name + "' is an OCI image: its pin is a manifest digest, not a file's");
        }
        return Digest.parse(fetch(e, false, PullListener.NONE).info().digest());
    }

    /** Loads every provider in parallel; one result per provider, in file order. */
    public List<LoadResult> loadAll() {
        List<ProviderSlot> all = new ArrayList<>(slots.values());
        if (all.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(all.size(), 4), r -> {
            Thread t = new Thread(r, "qmt4j-load");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<LoadResult>> futures = new ArrayList<>();
            for (ProviderSlot s : all) {
                futures.add(pool.submit(() -> s.ensureLoaded(() -> load(s.entry(), false))));
            }
            List<LoadResult> out = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    out.add(new LoadResult.Failed(all.get(i).entry().name(), new Qmt4jException(ErrorKind.INTERNAL,
                            "loading failed: " + e.getCause(), null, e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Qmt4jException(ErrorKind.INTERNAL, "interrupted while loading providers");
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Loads {@code name} if needed; its result ({@link LoadResult.Failed} for an unknown name too). */
    public LoadResult load(String name) {
        ProviderSlot s = slots.get(name);
        if (s == null) {
            return new LoadResult.Failed(name, unknown(name));
        }
        return s.ensureLoaded(() -> load(s.entry(), false));
    }

    /** A handle with the provider's static config (defaults plus API key), loading it lazily; empty if unknown or it fails to load. */
    public Optional<ProviderHandle> get(String name) {
        if (!slots.containsKey(name) || load(name) instanceof LoadResult.Failed) {
            return Optional.empty();
        }
        return Optional.of(require(name));
    }

    /**
     * Like {@link #get} but throws the reason.
     *
     * @throws Qmt4jException {@code NOT_FOUND} for an unknown name, else the load error itself
     */
    public ProviderHandle require(String name) {
        ObjectNode cfg = baseConfig(name);
        try (ProviderLease l = lease(name)) {
            addApiKey(name, cfg, l.plugin());
        }
        return new ProviderHandle(name, cfg, cfg, () -> lease(name));
    }

    /** A builder for a configured handle of {@code name}. */
    public ProviderBuilder builder(String name) {
        slot(name);
        return new ProviderBuilder(this, name);
    }

    /**
     * The sandbox {@code name} runs in: its {@code [providers.sandbox]} table with the defaults for what
     * the table leaves out, adjusted by {@link Builder#sandbox}. Nothing a plugin returns changes it.
     *
     * @throws Qmt4jException {@code NOT_FOUND} for an unknown name
     */
    public Sandbox sandbox(String name) {
        dev.qmt4j.config.SandboxSettings t = slot(name).entry().sandbox();
        Sandbox s = Sandbox.defaults().withAllowedHosts(t.allowedHosts()).withAllowPrivateNetworks(t.allowPrivateNetworks())
                .withEnv(t.env());
        if (t.timeout().isPresent()) s = s.withTimeout(t.timeout().get());
        if (t.maxMemoryPages().isPresent()) s = s.withMaxMemoryPages(t.maxMemoryPages().getAsInt());
        if (t.maxHttpResponseBytes().isPresent()) s = s.withMaxHttpResponseBytes(t.maxHttpResponseBytes().getAsLong());
        UnaryOperator<Sandbox> adjust = sandboxes.get(name);
        return adjust == null ? s : java.util.Objects.requireNonNull(adjust.apply(s), "the sandbox adjuster returned null");
    }

    /** The models of {@code name} with its static config. */
    public List<String> listModels(String name) {
        return require(name).listModels();
    }

    /**
     * Calls plugin function {@code function} of {@code name} directly with JSON {@code input} (none when
     * null), whatever the function is: {@link #call(String, String, byte[])} with the input written and
     * the output read as JSON.
     *
     * @return the output as JSON; an output that is not JSON comes back as a JSON string, an empty one as null
     * @throws dev.qmt4j.provider.ProviderException {@code UNSUPPORTED} when the plugin has no such function
     */
    public JsonNode call(String name, String function, JsonNode input) {
        byte[] out = call(name, function, input == null ? new byte[0] : Jsons.MAPPER.writeValueAsBytes(input));
        if (out.length == 0) {
            return null;
        }
        String text = new String(out, StandardCharsets.UTF_8);
        try {
            return Jsons.MAPPER.readTree(text);
        } catch (JacksonException e) {
            return Jsons.MAPPER.getNodeFactory().stringNode(text);
        }
    }

    /**
     * Calls plugin function {@code function} of {@code name} with {@code input} as it is and returns
     * the output bytes, as {@code extism call} does (and {@code qmt4j call}): no JSON is made or read
     * by the host, so an export that wants JSON answers bad input with its own error. The plugin's
     * {@link dev.qmt4j.provider.ProviderPlugin#call(String, byte[])}: native plugins through their
     * ABI, Wasm plugins on the provider's own instances (its static config and sandbox environment as
     * Extism config) with no network. A QueryMT structured error ({@code {"payload":{...}}}) becomes
     * the {@link ProviderException} it describes, its text in the message.
     */
    public byte[] call(String name, String function, byte[] input) {
        try (ProviderLease l = lease(name)) {
            return l.plugin().call(function, input);
        } catch (ProviderException e) {
            throw e.withContext("provider '" + name + "': ");
        }
    }

    /**
     * Force-refreshes every OCI provider and swaps in new versions: calls already running finish on
     * the old version (closed when the last one returns), new calls get the new one. A version that
     * fails to pull, verify or load leaves the old one in service and is reported as
     * {@link UpdateResult.Failed}. Providers never loaded are loaded by their update.
     */
    public List<UpdateResult> update() {
        List<UpdateResult> out = new ArrayList<>();
        for (ProviderSlot s : slots.values()) {
            if (sourceSafe(s.entry()) instanceof PluginSource.Oci) {
                out.add(update(s));
            }
        }
        return out;
    }

    /** {@link #update()} for the named providers only (any source type: non-OCI ones are reloaded from their source). */
    public List<UpdateResult> update(List<String> names) {
        return update(names, name -> PullListener.NONE);
    }

    /**
     * {@link #update(List)} reporting progress: the pull of each OCI provider sends its
     * {@link dev.qmt4j.pull.PullEvent}s (resolving, verifying, bytes downloaded, ...) to
     * {@code progress.apply(name)}, called once per provider just before its update starts.
     * Other sources report nothing.
     */
    public List<UpdateResult> update(List<String> names, Function<String, PullListener> progress) {
        List<UpdateResult> out = new ArrayList<>();
        for (String n : names) {
            ProviderSlot s = slot(n);
            out.add(update(s, progress.apply(n)));
        }
        return out;
    }

    private UpdateResult update(ProviderSlot s) {
        return update(s, PullListener.NONE, false);
    }

    /**
     * Follows the tags of the named OCI providers (docs/locking.md, "Following a tag"): every {@code every} plus a
     * random part of {@code jitter}, one HEAD of each tag; a new digest is verified, must have the same signer as
     * the version in service, and is swapped in. Events go to {@code listener} (on the follower's thread).
     *
     * @throws Qmt4jException {@code LOCK} in locked mode (a lock never follows tags), {@code USAGE} for a provider
     *                        that is not an OCI tag reference
     */
    public Follower follow(List<String> names, java.time.Duration every, java.time.Duration jitter,
            java.util.function.Consumer<FollowEvent> listener) {
        checkFollowable(names);
        return new Follower(this, names, every, jitter, listener);
    }

    /**
     * Follows each provider of {@code plan} at its own interval and jitter, as {@link #follow(List, java.time.Duration,
     * java.time.Duration, java.util.function.Consumer)} does; {@link #followPlan()} is the config's plan.
     *
     * @throws Qmt4jException {@code LOCK} in locked mode, {@code USAGE} for a provider that is not an OCI tag reference
     */
    public Follower follow(Map<String, FollowSettings> plan, java.util.function.Consumer<FollowEvent> listener) {
        checkFollowable(List.copyOf(plan.keySet()));
        return new Follower(this, plan, listener);
    }

    /** The providers whose config entry has a {@code [providers.follow]} table, with it, in file order. */
    public Map<String, FollowSettings> followPlan() {
        Map<String, FollowSettings> plan = new LinkedHashMap<>();
        for (ProviderSlot s : slots.values()) {
            s.entry().follow().ifPresent(f -> plan.put(s.entry().name(), f));
        }
        return plan;
    }

    /** Whether locked mode is on (then nothing follows tags). */
    public boolean isLocked() {
        return locked != null;
    }

    /** The follower {@link Builder#follow} started, if any (none in locked mode or without follow tables). */
    public Optional<Follower> follower() {
        return Optional.ofNullable(follower);
    }

    private void checkFollowable(List<String> names) {
        if (locked != null) {
            throw new Qmt4jException(ErrorKind.LOCK, "following is off in locked mode: the lockfile decides every digest",
                    "move pins with 'qmt4j lock --update', or run without --locked / [oci] lock = \"frozen\"");
        }
        for (String n : names) {
            if (!(source(n) instanceof PluginSource.Oci o) || o.reference().digest().isPresent()) {
                throw new Qmt4jException(ErrorKind.USAGE, "provider '" + n + "' has no tag to follow (" + slot(n).entry().path() + ")",
                        "follow only oci:// providers named by a tag");
            }
        }
    }

    /** The digest the provider's tag points at now, by one HEAD (for {@link Follower}). */
    Optional<Digest> peekTag(String name) {
        return oci.peek(((PluginSource.Oci) source(name)).reference());
    }

    /** The digest of the version in service, loading it first if needed (for {@link Follower}). */
    String digestInService(String name) {
        LoadResult r = load(name);
        if (r instanceof LoadResult.Failed f) {
            throw f.error();
        }
        return ((LoadResult.Loaded) r).digest();
    }

    /** {@link #update(List)} of one provider, refusing a new version signed by another signer than the one in service. */
    UpdateResult updateSameSigner(String name) {
        return update(slot(name), PullListener.NONE, true);
    }

    private UpdateResult update(ProviderSlot s, PullListener listener) {
        return update(s, listener, false);
    }

    private UpdateResult update(ProviderSlot s, PullListener listener, boolean sameSigner) {
        LoadedPlugin before = s.current();
        Optional<String> previous = Optional.ofNullable(before).map(b -> b.info().digest());
        try {
            Fetched f = fetch(s.entry(), true, listener);
            // The verifier's structured signers, by equality (docs/locking.md, "Signer"), never its summary text.
            if (sameSigner && before != null && !before.info().signer().equals(f.info().signer())) {
                throw ProviderErrors.named(s.entry(), config.source(), platform, new Qmt4jException(ErrorKind.VERIFICATION,
                        f.info().digest() + " is signed by " + describe(f.info().signer()) + ", the version in service by "
                                + describe(before.info().signer()) + ": a change of signer is refused",
                        "review the new signer, then update explicitly"));
            }
            if (f.offlineWarning().isPresent()) {
                // The puller fell back to the cached digest: nothing was checked, so this update failed.
                throw ProviderErrors.named(s.entry(), config.source(), platform, new Qmt4jException(ErrorKind.NETWORK,
                        "the registry could not be reached, nothing was updated"
                        + (f.offlineWarning().get().isEmpty() ? "" : " (" + f.offlineWarning().get() + ")")));
            }
            if (previous.isPresent() && previous.get().equals(f.info().digest())) {
                return new UpdateResult.Updated(s.entry().name(), previous, previous.get(), false);
            }
            LoadedPlugin next = instantiate(s.entry(), f);
            s.swap(next);
            return new UpdateResult.Updated(s.entry().name(), previous, next.info().digest(), true);
        } catch (RuntimeException e) {
            return new UpdateResult.Failed(s.entry().name(), previous, e);
        }
    }

    // ---------------------------------------------------------------- internals

    ProviderLease lease(String name) {
        if (closed) {
            throw new Qmt4jException(ErrorKind.USAGE, "the plugin registry is closed");
        }
        ProviderSlot s = slot(name);
        return s.lease(() -> load(s.entry(), false));
    }

    /** The {@code [providers.config]} table as JSON. */
    ObjectNode baseConfig(String name) {
        ObjectNode cfg = Jsons.MAPPER.createObjectNode();
        slot(name).entry().config().forEach((k, v) -> cfg.set(k, Jsons.MAPPER.valueToTree(v)));
        return cfg;
    }

    /**
     * Adds {@code api_key} from the environment variable the plugin names ({@code api_key_name}), when
     * the config has none. The plugin chooses that name, so only a name ending in {@code _API_KEY}
     * (what every QueryMT provider uses) or one the user listed in {@code [providers.sandbox] env} is
     * read: a plugin must not be able to ask for {@code AWS_SECRET_ACCESS_KEY} (docs/sandbox.md).
     *
     * @throws ProviderException {@link ProviderErrorKind#SANDBOX_DENIED} naming the variable and how to allow it
     */
    void addApiKey(String name, ObjectNode cfg, ProviderPlugin plugin) {
        JsonNode existing = cfg.get("api_key");
        boolean missing = existing == null || existing.isNull() || (existing.isString() && existing.stringValue().isEmpty());
        String var = plugin.apiKeyName();
        if (!missing || var == null) {
            return;
        }
        if (!sandbox(name).mayReadEnv(var)) {
            throw ProviderException.withHint(ProviderErrorKind.SANDBOX_DENIED, "provider '" + name + "' asks for its API key from environment variable '"
                    + var + "', which qmt4j reads only when its name ends in _API_KEY or it is listed in the provider's [providers.sandbox] env"
                    + " (config " + config.source() + ")",
                    "if you trust the plugin with it, add env = [\"" + var + "\"] to [providers.sandbox]; or set api_key in [providers.config]");
        }
        if (env.get(var) != null && !env.get(var).isEmpty()) {
            cfg.put("api_key", env.get(var));
        }
    }

    /** The version of {@code name} in service, or null; for tests. */
    LoadedPlugin inService(String name) {
        return slot(name).current();
    }

    private ProviderSlot slot(String name) {
        ProviderSlot s = slots.get(name);
        if (s == null) {
            throw unknown(name);
        }
        return s;
    }

    private Qmt4jException unknown(String name) {
        return new Qmt4jException(ErrorKind.NOT_FOUND, "no provider named '" + name + "' in " + config.source(),
                "configured: " + String.join(", ", slots.keySet()));
    }

    private PluginSource sourceOf(ProviderEntry e) {
        Path dir = configDir();
        String layout = "oci-layout://";
        String rest = e.path().startsWith(layout) ? e.path().substring(layout.length()) : null;
        // A relative oci-layout:// directory is relative to the config file, like a local path.
        if (rest != null && dir != null && !rest.isEmpty() && !Path.of(rest.split("[:@]", 2)[0]).isAbsolute()
                && !rest.startsWith("~")) {
            return new PluginSource.Oci(dev.qmt4j.oci.ImageRef.parse(layout + dir.toString().replace('\\', '/') + "/" + rest));
        }
        return PluginSource.of(e, dir, osName);
    }

    private Path configDir() {
        return config.source().toAbsolutePath().getParent();
    }

    private PluginSource sourceSafe(ProviderEntry e) {
        try {
            return sourceOf(e);
        } catch (RuntimeException ex) {
            return null;
        }
    }

    /** A plugin file with what is known about it, before it is instantiated. */
    private record Fetched(Path file, LoadResult.Loaded info, Optional<String> offlineWarning) {
        Fetched(Path file, LoadResult.Loaded info) {
            this(file, info, Optional.empty());
        }
    }

    private LoadedPlugin load(ProviderEntry e, boolean force) {
        return instantiate(e, fetch(e, force, PullListener.NONE));
    }

    private Fetched fetch(ProviderEntry e, boolean force, PullListener listener) {
        PluginSource src = sourceOf(e); // its CONFIG errors name the provider already
        try {
            return fetch(e, src, force, listener);
        } catch (Qmt4jException ex) {
            throw ProviderErrors.named(e, config.source(), platform, ex);
        }
    }

    private Fetched fetch(ProviderEntry e, PluginSource configured, boolean force, PullListener listener) {
        PluginSource src = locked == null ? configured : locked.pin(e, configured);
        if (src instanceof PluginSource.LocalFile f) {
            if (!java.nio.file.Files.isRegularFile(f.file())) {
                throw new Qmt4jException(ErrorKind.NOT_FOUND, "local plugin file not found: " + f.file());
            }
            return new Fetched(f.file(), new LoadResult.Loaded(e.name(), f.type(), src.display(),
                    Digest.sha256(f.file()).toString(), Optional.empty(), Optional.empty()));
        }
        if (src instanceof PluginSource.Url u) {
            UrlDownloader.Downloaded d = urls.fetch(u, force);
            return new Fetched(d.file(), new LoadResult.Loaded(e.name(), u.type(), src.display(), "sha256:" + d.sha256(),
                    Optional.empty(), Optional.empty()));
        }
        PluginSource.Oci o = (PluginSource.Oci) src;
        PullResult p = oci.pull(e, o.reference(), platformFor(e), force, listener);
        if (locked != null) {
            locked.checkSigner(e, p.signer(), p.verification());
        }
        Optional<String> offline = !p.offline() ? Optional.empty() : Optional.of(String.join("; ", p.warnings()));
        return new Fetched(p.path(), new LoadResult.Loaded(e.name(), p.type(), src.display(), p.digest().toString(),
                p.verification(), p.signer()), offline);
    }

    private static String describe(Optional<dev.qmt4j.oci.Signer> signer) {
        return signer.map(dev.qmt4j.oci.Signer::describe).orElse("nobody (not verified)");
    }

    /**
     * The platform to pull {@code e} for: the builder's, else the provider's {@code platform} key,
     * else empty (this machine's). An explicit one never falls back to another index entry.
     */
    private Optional<Platform> platformFor(ProviderEntry e) {
        return platform.or(() -> e.platform().map(Platform::parse));
    }

    private LoadedPlugin instantiate(ProviderEntry e, Fetched f) {
        ObjectNode cfg = baseConfig(e.name());
        Sandbox sandbox = sandbox(e.name());
        Map<String, String> visible = new LinkedHashMap<>();
        for (String var : sandbox.env()) {
            if (env.get(var) != null) {
                visible.put(var, env.get(var));
            }
        }
        ProviderPlugin plugin = loader.load(e.name(), f.file(), f.info().type(), cfg, sandbox, visible);
        return new LoadedPlugin(plugin, f.info(), f.file());
    }

    /** Closes every loaded plugin (calls in flight finish first). */
    @Override
    public void close() {
        closed = true;
        Follower f = follower;
        if (f != null) {
            f.close();
        }
        slots.values().forEach(ProviderSlot::close);
    }

    /** Settings for {@link #builder()}. */
    public static final class Builder {
        private Path configPath;
        private Map<String, String> env = System.getenv();
        private Path home = Path.of(System.getProperty("user.home", "."));
        private Path cacheDir;
        private Function<ProviderEntry, SignatureVerifier> verifier;
        private PluginLoader loader;
        private String osName = System.getProperty("os.name", "");
        private Platform platform;
        private List<Path> caCertificates = List.of();
        private final Map<String, UnaryOperator<Sandbox>> sandboxes = new LinkedHashMap<>();
        /** Null: as the config's {@code [oci] lock} says. */
        private Boolean locked;
        private Path lockFile;
        private java.util.function.Consumer<FollowEvent> followListener;

        private Builder() {}

        /**
         * Auto-update (docs/locking.md, "Following a tag"): {@link #build()} starts a {@link Follower} for every
         * provider whose config entry has a {@code [providers.follow]} table, each at its own {@code every} and
         * {@code jitter}; events go to {@code listener} (on the follower's thread); closing the registry stops it.
         * In locked mode nothing is followed (the lockfile decides every digest); {@link PluginRegistry#follower()}
         * is then empty.
         */
        public Builder follow(java.util.function.Consumer<FollowEvent> listener) {
            this.followListener = java.util.Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Locked mode (docs/locking.md): every provider is loaded from its lockfile entry: OCI providers by the
         * locked digest (no tag is resolved) and signed by the locked signer; a provider missing from the lock
         * fails with {@code LOCK}. Default: on when the config has {@code [oci] lock = "frozen"}; false turns it off
         * whatever the config says.
         */
        public Builder locked(boolean on) {
            this.locked = on;
            return this;
        }

        /** The lockfile for {@link #locked}; default {@code [oci] lock_file}, else {@code qmt4j.lock} beside the config file. */
        public Builder lockFile(Path file) {
            this.lockFile = file;
            return this;
        }

        /**
         * Adjusts the sandbox of provider {@code name}: {@code adjust} gets the one its
         * {@code [providers.sandbox]} table describes (defaults filled in) and returns the one to use,
         * e.g. {@code s -> s.withAllowedHosts(List.of("*.corp"))}. The sandbox is the host's: it is
         * never given to the plugin ({@link Sandbox}).
         */
        public Builder sandbox(String name, UnaryOperator<Sandbox> adjust) {
            sandboxes.put(java.util.Objects.requireNonNull(name, "name"), java.util.Objects.requireNonNull(adjust, "adjust"));
            return this;
        }

        /** The config file; without one it is discovered ({@link ConfigDiscovery}). */
        public Builder config(Path file) {
            this.configPath = file;
            return this;
        }

        /**
         * The environment (discovery, API keys, registry credentials, cache location, extra CA certificates in
         * {@code QMT4J_CA_CERTIFICATES}); default the process's.
         */
        public Builder env(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        /** The home directory (for {@code ~/.qmt} and {@code ~/.docker}). */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** The cache directory; default {@code QMT4J_CACHE_DIR}, then {@code [oci] cache_dir}, then the platform's. */
        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /** Replaces the Sigstore verifier (per provider entry); for tests and custom trust. */
        public Builder verifier(Function<ProviderEntry, SignatureVerifier> verifier) {
            this.verifier = verifier;
            return this;
        }

        /**
         * PEM files of CAs to trust for registries, token servers and {@code https://} sources, in addition
         * to the JDK's anchors, {@code [oci] ca_certificates} and {@code QMT4J_CA_CERTIFICATES}.
         */
        public Builder caCertificates(List<Path> pemFiles) {
            this.caCertificates = List.copyOf(pemFiles);
            return this;
        }

        /**
         * Replaces the plugin loader (e.g. to add native plugins). The default is a {@link DefaultPluginLoader}
         * keeping compiled Wasm modules in {@code <cache>/wasm-compiled}.
         */
        public Builder loader(PluginLoader loader) {
            this.loader = loader;
            return this;
        }

        /**
         * Pulls every OCI provider for {@code platform} (e.g. {@link Platform#WASI_WASM} for the
         * sandboxed Wasm build of providers published with a native index), instead of each
         * provider's {@code platform} key or this machine's platform; null restores those. An
         * explicit platform never falls back: a provider whose image does not offer it fails to
         * load with a {@code PLATFORM} error naming the platforms it offers.
         */
        public Builder platform(Platform platform) {
            this.platform = platform == null ? null : platform.normalize();
            return this;
        }

        /** Reads the config and builds the registry (nothing is loaded yet). */
        public PluginRegistry build() {
            Path file = new ConfigDiscovery(env, home).require(Optional.ofNullable(configPath)).path();
            PluginRegistry registry = new PluginRegistry(this, ConfigFile.load(file));
            Map<String, FollowSettings> plan = registry.followPlan();
            if (followListener != null && !registry.isLocked() && !plan.isEmpty()) {
                registry.follower = registry.follow(plan, followListener);
            }
            return registry;
        }
    }
}
