package dev.qmt4j.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a {@link ConfigTree} against the schema and builds the records. */
final class ConfigSchema {
    // The same grammar as the puller's RefreshPolicy: 30m, 1h, 1h30m, 2d, or ISO-8601 (PT1H).
    private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+\\s*[smhd]\\s*)+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String REFRESH_HINT = "a string like '1h', 'never' or 'always'";

    private final ConfigTree tree;
    /** Unknown keys are errors rather than warnings: {@code --strict}, or {@code strict = true} in the file. */
    private boolean strict;
    private final List<ConfigWarning> warnings = new ArrayList<>();

    private ConfigSchema(ConfigTree tree, boolean strict) {
        this.tree = tree;
        this.strict = strict;
    }

    static ConfigFile read(ConfigTree tree, boolean strict) {
        return new ConfigSchema(tree, strict).file();
    }

    private ConfigFile file() {
        Object root = tree.root();
        if (root == null) {
            return new ConfigFile(tree.source(), List.of(), OciSettings.defaults());
        }
        Map<String, Object> top = table(root, "");
        Object strictKey = top.get("strict");
        if (strictKey != null && !(strictKey instanceof Boolean)) {
            throw tree.error("strict", "expected true or false, got " + describe(strictKey), null);
        }
        strict |= Boolean.TRUE.equals(strictKey);
        checkKeys(top, "", ConfigFile.KEYS);
        List<ProviderEntry> providers = new ArrayList<>();
        Object list = top.get("providers");
        if (list != null) {
            if (!(list instanceof List<?> entries)) {
                throw tree.error("providers", "expected a list of provider tables, got " + describe(list),
                        "write [[providers]] tables (TOML) or a providers: list");
            }
            Map<String, Integer> seen = new java.util.HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                ProviderEntry entry = provider(entries.get(i), "providers[" + i + "]");
                Integer first = seen.putIfAbsent(entry.name(), i);
                if (first != null) {
                    throw tree.error("providers[" + i + "].name", "duplicate provider name '" + entry.name()
                            + "' (first defined at " + tree.where("providers[" + first + "].name") + ")",
                            "give each provider a unique name");
                }
                providers.add(entry);
            }
        }
        OciSettings oci = top.get("oci") == null ? OciSettings.defaults() : oci(top.get("oci"));
        return new ConfigFile(tree.source(), providers, oci, warnings);
    }

    private ProviderEntry provider(Object value, String path) {
        Map<String, Object> t = table(value, path);
        checkKeys(t, path, ProviderEntry.KEYS);
        String name = requiredString(t, path, "name");
        String p = requiredString(t, path, "path");
        Map<String, Object> extras = new LinkedHashMap<>();
        if (t.containsKey("insecure")) {
            extras.put("insecure", t.get("insecure"));
        }
        Optional<String> platform = optionalString(t, path, "platform");
        platform.ifPresent(v -> checkPlatform(v, p, path + ".platform"));
        Map<String, Object> config = optionalTable(t, path, "config");
        for (String key : SandboxSettings.RESERVED_IN_CONFIG) {
            if (config.containsKey(key)) {
                // The plugin receives, validates and returns [providers.config]; a policy there could be
                // widened by the plugin itself (docs/sandbox.md), so the host owns it in [providers.sandbox].
                throw tree.error(path + ".config." + key, "'" + key + "' is a sandbox setting and does not belong in [providers.config]"
                        + " (the plugin sees that table)", "move it to the provider's [providers.sandbox] table");
            }
        }
        return new ProviderEntry(name, p, config, verifyBlock(t, path),
                optionalString(t, path, "sha256"), optionalString(t, path, "file"), extras, platform,
                sandbox(t, path), follow(t, path, p));
    }

    /**
     * The provider's {@code [providers.follow]} table (docs/locking.md, "Following a tag"): {@code every} required,
     * {@code jitter} optional (default a tenth of {@code every}). qmt4j's own table: unknown keys are errors.
     */
    private Optional<FollowSettings> follow(Map<String, Object> provider, String providerPath, String reference) {
        if (provider.get("follow") == null) {
            return Optional.empty();
        }
        String path = providerPath + ".follow";
        Map<String, Object> t = table(provider.get("follow"), path);
        checkKeys(t, path, FollowSettings.KEYS, true);
        if (!(reference.startsWith("oci://") || reference.startsWith("oci-layout://")) || reference.contains("@sha256:")) {
            throw tree.error(path, "only an OCI provider named by a tag can follow it, not " + reference,
                    "remove the follow table, or point path at a tag, e.g. oci://ghcr.io/org/plugin:latest");
        }
        if (t.get("every") == null) {
            throw tree.error(path, "missing key 'every' in the follow table", "add e.g. every = \"6h\"");
        }
        java.time.Duration every = duration(t.get("every"), path + ".every");
        Object j = t.get("jitter");
        java.time.Duration jitter = j == null ? FollowSettings.defaultJitter(every)
                : isZero(j) ? java.time.Duration.ZERO : duration(j, path + ".jitter");
        return Optional.of(new FollowSettings(every, jitter));
    }

    private static boolean isZero(Object v) {
        return (v instanceof Number n && n.doubleValue() == 0) || (v instanceof String s && s.trim().matches("(?i)0\\s*[smhd]?"));
    }

    /**
     * The provider's {@code [providers.verify]} table: the keys of {@code [oci]}'s signature policy, typed and with
     * file paths resolved as there; empty without the table or with an empty one. qmt4j's own table, so an
     * unknown key is always an error (a misspelt key would fall back to a weaker policy).
     */
    private Optional<VerifyPolicySettings> verifyBlock(Map<String, Object> provider, String providerPath) {
        if (provider.get("verify") == null) {
            return Optional.empty();
        }
        String path = providerPath + ".verify";
        Map<String, Object> t = table(provider.get("verify"), path);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        checkKeys(t, path, VerifyPolicySettings.KEYS, true);
        return Optional.of(verify(t, path, tree.where(path) + ": verify block of provider '" + requiredString(provider, providerPath, "name") + "'"));
    }

    /** The provider's {@code [providers.sandbox]} table, each key type-checked. */
    private SandboxSettings sandbox(Map<String, Object> provider, String providerPath) {
        if (provider.get("sandbox") == null) {
            return SandboxSettings.none();
        }
        String path = providerPath + ".sandbox";
        Map<String, Object> t = table(provider.get("sandbox"), path);
        // qmt4j's own table (QueryMT files never have it), and a misspelt key there would loosen the
        // sandbox silently: always an error.
        checkKeys(t, path, SandboxSettings.KEYS, true);
        List<String> env = stringList(t, path, "env");
        for (int i = 0; i < env.size(); i++) {
            if (!ENV_NAME.matcher(env.get(i)).matches()) {
                throw tree.error(path + ".env[" + i + "]", "'" + env.get(i) + "' is not an environment variable name",
                        "list variable names only, e.g. env = [\"OLLAMA_HOST\"]");
            }
        }
        Optional<java.time.Duration> timeout = Optional.empty();
        Object tv = t.get("timeout");
        if (tv != null) {
            timeout = Optional.of(duration(tv, path + ".timeout"));
        }
        java.util.OptionalInt pages = java.util.OptionalInt.empty();
        if (t.get("max_memory_pages") != null) {
            long v = positive(t.get("max_memory_pages"), path + ".max_memory_pages", 65_536);
            pages = java.util.OptionalInt.of((int) v);
        }
        java.util.OptionalLong bytes = java.util.OptionalLong.empty();
        if (t.get("max_http_response_bytes") != null) {
            bytes = java.util.OptionalLong.of(positive(t.get("max_http_response_bytes"), path + ".max_http_response_bytes", Long.MAX_VALUE));
        }
        return new SandboxSettings(stringList(t, path, "allowed_hosts"),
                optionalBoolean(t, path, "allow_private_networks").orElse(false), env, timeout, pages, bytes);
    }

    /** A duration: a number of seconds, or a string like {@code 300s}, {@code 5m}, {@code 1h30m} (also ISO-8601). */
    private java.time.Duration duration(Object v, String at) {
        String hint = "write a number of seconds or a duration such as \"90s\", \"5m\" or \"1h\"";
        if (v instanceof Number n && n.longValue() > 0 && n.doubleValue() == n.longValue()) {
            return java.time.Duration.ofSeconds(n.longValue());
        }
        if (v instanceof String s && DURATION.matcher(s).matches()) {
            java.time.Duration d = java.time.Duration.ZERO;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)(\\d+)\\s*([smhd])").matcher(s);
            while (m.find()) {
                long k = Long.parseLong(m.group(1));
                d = d.plus(switch (Character.toLowerCase(m.group(2).charAt(0))) {
                    case 's' -> java.time.Duration.ofSeconds(k);
                    case 'm' -> java.time.Duration.ofMinutes(k);
                    case 'h' -> java.time.Duration.ofHours(k);
                    default -> java.time.Duration.ofDays(k);
                });
            }
            if (!d.isZero()) {
                return d;
            }
        }
        throw tree.error(at, "expected a positive duration, got " + describe(v), hint);
    }

    private long positive(Object v, String at, long max) {
        if (v instanceof Number n && (n instanceof Integer || n instanceof Long || n instanceof java.math.BigInteger)
                && n.longValue() > 0 && n.longValue() <= max && (!(n instanceof java.math.BigInteger b) || b.bitLength() < 63)) {
            return n.longValue();
        }
        throw tree.error(at, "expected a whole number from 1 to " + max + ", got " + describe(v), null);
    }

    /** A provider's {@code platform}: {@code os/arch[/variant]} with an OS and architecture OCI indexes use, on an OCI provider. */
    private void checkPlatform(String value, String providerPath, String at) {
        String[] parts = value.split("/", -1);
        String hint = "write os/arch[/variant], e.g. \"linux/amd64\", \"linux/arm64\", \"darwin/arm64\" or \"wasi/wasm\"";
        if (parts.length < 2 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw tree.error(at, "invalid platform '" + value + "': expected os/arch[/variant]", hint);
        }
        String os = parts[0].toLowerCase(java.util.Locale.ROOT);
        String arch = parts[1].toLowerCase(java.util.Locale.ROOT);
        if (!Platforms.OSES.contains(os)) {
            throw tree.error(at, "unknown operating system '" + parts[0] + "' in platform '" + value + "'",
                    "known: " + String.join(", ", Platforms.OSES));
        }
        if (!Platforms.ARCHITECTURES.contains(arch)) {
            throw tree.error(at, "unknown architecture '" + parts[1] + "' in platform '" + value + "'",
                    "known: " + String.join(", ", Platforms.ARCHITECTURES));
        }
        if (!(providerPath.startsWith("oci://") || providerPath.startsWith("oci-layout://"))) {
            throw tree.error(at, "'platform' applies only to oci:// and oci-layout:// providers, not to " + providerPath,
                    "remove it, or point path at the provider's OCI image");
        }
    }

    private OciSettings oci(Object value) {
        Map<String, Object> t = table(value, "oci");
        List<String> known = new ArrayList<>(OciSettings.KEYS);
        known.addAll(VerifyPolicySettings.KEYS);
        checkKeys(t, "oci", known);
        boolean skip = optionalBoolean(t, "oci", "insecure_skip_signature").orElse(false);
        List<String> insecure = stringList(t, "oci", "insecure_registries");
        String refresh = OciSettings.DEFAULT_REFRESH;
        if (t.get("refresh") != null) {
            Object r = t.get("refresh");
            if (!(r instanceof String s) || !isRefresh(s)) {
                throw tree.error("oci.refresh", "expected " + REFRESH_HINT + ", got " + describe(r),
                        "durations are numbers with a unit: s, m, h or d (e.g. '30m', '1h', '1h30m', '1d')");
            }
            refresh = (String) r;
        }
        Optional<Path> cacheDir = optionalString(t, "oci", "cache_dir").map(this::resolvePath);
        // One file or a list of files, like QueryMT's other path-valued keys accept.
        List<String> ca = t.get("ca_certificates") instanceof String one ? List.of(one) : stringList(t, "oci", "ca_certificates");
        List<Path> caFiles = new ArrayList<>(ca.stream().map(this::resolvePath).toList());
        List<RegistrySettings> registries = registries(t);
        Optional<String> hostsDir = optionalString(t, "oci", "hosts_dir");
        if (hostsDir.isPresent()) {
            HostsDir.Read read = HostsDir.read(resolvePath(hostsDir.get()));
            // The config file's own [[oci.registry]] tables win over a hosts.toml for the same registry.
            registries = RegistriesConf.merge(read.registries(), registries);
            read.caFiles().stream().filter(f -> !caFiles.contains(f)).forEach(caFiles::add);
        }
        boolean permissionsCheck = optionalBoolean(t, "oci", "cache_permissions_check").orElse(true);
        return new OciSettings(skip, insecure, refresh, cacheDir, verify(t, "oci", tree.where("oci") + ": [oci]"), caFiles, permissionsCheck, registries,
                lock(t));
    }

    /** {@code lock = "frozen" | "off"} and {@code lock_file} (docs/locking.md). */
    private LockSettings lock(Map<String, Object> oci) {
        Optional<String> mode = optionalString(oci, "oci", "lock");
        if (mode.isPresent() && !mode.get().equals("frozen") && !mode.get().equals("off")) {
            throw tree.error("oci.lock", "expected \"frozen\" or \"off\", got '" + mode.get() + "'",
                    "lock = \"frozen\" loads every provider from the lockfile (docs/locking.md)");
        }
        return new LockSettings(mode.map("frozen"::equals).orElse(false),
                optionalString(oci, "oci", "lock_file").map(this::resolvePath));
    }

    /** {@code [[oci.registry]]} tables, after those of {@code registries_conf} when set (docs/mirrors.md). */
    private List<RegistrySettings> registries(Map<String, Object> oci) {
        List<RegistrySettings> own = registryList(oci.get("registry"), "oci.registry", false);
        Optional<String> conf = optionalString(oci, "oci", "registries_conf");
        if (conf.isEmpty()) {
            return own;
        }
        List<RegistrySettings> system = conf.get().equals("system") ? RegistriesConf.system(System.getenv())
                : RegistriesConf.read(resolvePath(conf.get()));
        return RegistriesConf.merge(system, own);
    }

    /**
     * Typed access to a hosts.toml's values, for {@link HostsDir}. Strict: a key qmt4j does not know in a
     * file that routes registry traffic is an error, not a warning that nobody sees.
     */
    static ConfigSchema of(ConfigTree tree) {
        return new ConfigSchema(tree, true);
    }

    Optional<String> string(Map<String, Object> t, String path, String key) {
        return optionalString(t, path, key);
    }

    Optional<Boolean> bool(Map<String, Object> t, String path, String key) {
        return optionalBoolean(t, path, key);
    }

    List<String> strings(Map<String, Object> t, String path, String key) {
        return t.get(key) instanceof String one ? List.of(one) : stringList(t, path, key);
    }

    Map<String, Object> asTable(Object value, String path) {
        return table(value, path);
    }

    /** The {@code [[registry]]} tables of a containers registries.conf file (v2). */
    static List<RegistrySettings> registriesConf(ConfigTree tree) {
        ConfigSchema schema = new ConfigSchema(tree, true);
        Object root = tree.root();
        if (root == null) {
            return List.of();
        }
        Map<String, Object> top = schema.table(root, "");
        if (top.containsKey("registries")) {
            throw tree.error("registries", "this is a version 1 registries.conf ([registries.search] ...)",
                    "only version 2 files ([[registry]] tables) are read; see containers-registries.conf(5)");
        }
        return schema.registryList(top.get("registry"), "registry", true);
    }

    /**
     * A list of registry tables with their mirror lists. In a registries.conf ({@code conf}), {@code prefix} defaults
     * to {@code location}, {@code mirror-by-digest-only} is accepted, and only v2 keys are known.
     */
    private List<RegistrySettings> registryList(Object v, String base, boolean conf) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw tree.error(base, "expected a list of registry tables, got " + describe(v),
                    "write [[" + base + "]] tables (TOML) or a registry: list");
        }
        List<String> keys = new ArrayList<>(RegistrySettings.KEYS);
        if (conf) {
            keys.add("mirror-by-digest-only");
        }
        List<RegistrySettings> out = new ArrayList<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = base + "[" + i + "]";
            Map<String, Object> t = table(list.get(i), path);
            // qmt4j's own table (QueryMT has none): a misspelt key such as 'blocked' would quietly
            // route around a mirror or a block, so unknown keys are errors here, as in sandbox tables.
            checkKeys(t, path, keys, true);
            Optional<String> location = location(t, path, "location", false);
            String prefix = conf && !t.containsKey("prefix")
                    ? location.orElseThrow(() -> tree.error(path, "missing required key 'location' (or 'prefix')", null))
                    : location(t, path, "prefix", true).orElseThrow();
            if (prefix.startsWith("*.") && t.containsKey("location")) {
                throw tree.error(path + ".location", "a wildcard prefix ('" + prefix + "') cannot have a location",
                        "remove location: the registry each reference names is its own primary (containers-registries.conf(5))");
            }
            Integer first = seen.putIfAbsent(prefix, i);
            if (first != null) {
                throw tree.error(path + ".prefix", "duplicate prefix '" + prefix + "' (first at "
                        + tree.where(base + "[" + first + "].prefix") + ")", "merge the two [[" + base + "]] tables");
            }
            boolean insecure = optionalBoolean(t, path, "insecure").orElse(false);
            boolean blocked = optionalBoolean(t, path, "blocked").orElse(false);
            boolean byDigest = conf && optionalBoolean(t, path, "mirror-by-digest-only").orElse(false);
            List<RegistrySettings.MirrorSettings> mirrors = new ArrayList<>();
            Object m = t.get("mirror");
            if (m != null && !(m instanceof List<?>)) {
                throw tree.error(path + ".mirror", "expected a list of mirror tables, got " + describe(m),
                        "write [[" + base + ".mirror]] tables (TOML) or a mirror: list");
            }
            List<?> ms = m == null ? List.of() : (List<?>) m;
            for (int j = 0; j < ms.size(); j++) {
                String mp = path + ".mirror[" + j + "]";
                Map<String, Object> mt = table(ms.get(j), mp);
                checkKeys(mt, mp, RegistrySettings.MirrorSettings.KEYS, true);
                String loc = location(mt, mp, "location", true).orElseThrow();
                // registries.conf: mirror-by-digest-only on the registry makes every mirror digest-only unless it says otherwise.
                if (byDigest && mt.containsKey("pull-from-mirror")) {
                    throw tree.error(mp + ".pull-from-mirror", "cannot be set when the registry sets mirror-by-digest-only",
                            "use one of the two (containers/image refuses the combination too)");
                }
                String pull = optionalString(mt, mp, "pull-from-mirror").orElse(byDigest ? "digest-only" : "all");
                if (!RegistrySettings.MirrorSettings.PULL_FROM.contains(pull.strip().toLowerCase(java.util.Locale.ROOT))) {
                    throw tree.error(mp + ".pull-from-mirror", "expected 'all', 'digest-only' or 'tag-only', got '" + pull + "'",
                            "'digest-only' never sends a tag to the mirror (Spegel, peer caches); 'tag-only' is for tag resolution only");
                }
                mirrors.add(new RegistrySettings.MirrorSettings(loc, pull.strip().toLowerCase(java.util.Locale.ROOT),
                        optionalBoolean(mt, mp, "insecure").orElse(false)));
            }
            out.add(new RegistrySettings(prefix, location, insecure, blocked, mirrors));
        }
        return out;
    }

    /** A registry location: {@code host[:port][/path]}, no scheme, tag or digest. */
    private Optional<String> location(Map<String, Object> t, String path, String key, boolean required) {
        Optional<String> v = required ? Optional.of(requiredString(t, path, key)) : optionalString(t, path, key);
        if (v.isEmpty()) {
            return v;
        }
        String s = v.get().strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || s.contains("://") || s.contains("@") || s.contains(" ") || s.startsWith("/")
                || (s.lastIndexOf(':') > s.lastIndexOf('/') && s.indexOf('/') >= 0)) {
            throw tree.error(path + "." + key, "'" + v.get() + "' is not a registry location",
                    "write host[:port][/namespace], e.g. \"mirror.corp:5000/ghcr\", with no scheme, tag or digest"
                            + " (plain HTTP: insecure = true)");
        }
        return Optional.of(s);
    }

    private static boolean isRefresh(String s) {
        String t = s.strip();
        if (t.equalsIgnoreCase("never") || t.equalsIgnoreCase("always") || DURATION.matcher(t).matches()) {
            return true;
        }
        try {
            return t.toUpperCase(java.util.Locale.ROOT).startsWith("P")
                    && !java.time.Duration.parse(t.toUpperCase(java.util.Locale.ROOT)).isNegative();
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /**
     * The signature policy keys of {@code t} ({@code [oci]} or a provider's {@code verify} table, at {@code path}):
     * each typed, the file keys ({@link VerifyPolicySettings#FILE_KEYS}) resolved against the config file's
     * directory, keys set to {@code null} (JSON, YAML) recorded as explicitly unset; {@code origin} names the
     * table in the errors found when the policy is built from them.
     */
    private VerifyPolicySettings verify(Map<String, Object> t, String path, String origin) {
        Set<String> unset = new HashSet<>();
        for (String key : VerifyPolicySettings.KEYS) {
            if (t.containsKey(key) && t.get(key) == null) {
                unset.add(key);
            }
        }
        return new VerifyPolicySettings(optionalBoolean(t, path, "use_sigstore_tuf_data"),
                file(t, path, "rekor_pub_keys"), file(t, path, "fulcio_certs"),
                optionalString(t, path, "cert_email"), optionalString(t, path, "cert_issuer"),
                optionalString(t, path, "cert_url"), optionalString(t, path, "github_workflow_repository"),
                optionalString(t, path, "cert_identity_regexp"), optionalString(t, path, "cert_issuer_regexp"),
                file(t, path, "public_key"), optionalBoolean(t, path, "require_tlog"),
                file(t, path, "ctfe_pub_keys"), stringTable(t, path, "annotations"),
                optionalBoolean(t, path, "check_docker_reference"), unset, origin);
    }

    /** A string naming a file, resolved against the config file's directory ({@code ~} is the home directory). */
    private Optional<String> file(Map<String, Object> t, String path, String key) {
        return optionalString(t, path, key).map(f -> resolvePath(f).toString());
    }

    private Map<String, String> stringTable(Map<String, Object> t, String path, String key) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (var e : optionalTable(t, path, key).entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw tree.error(path + "." + key + "." + e.getKey(), "expected a string, got " + describe(e.getValue()), null);
            }
            out.put(e.getKey(), s);
        }
        return out;
    }

    private Path resolvePath(String text) {
        String home = System.getProperty("user.home");
        if (text.equals("~")) {
            return Path.of(home);
        }
        if (text.startsWith("~/")) {
            return Path.of(home, text.substring(2));
        }
        Path p = Path.of(text);
        // Relative to the config file, so the meaning does not depend on where the CLI runs.
        Path dir = tree.source().toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
    }

    // --- typed accessors; each error names the key path and what was expected ---

    @SuppressWarnings("unchecked")
    private Map<String, Object> table(Object value, String path) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw tree.error(path, "expected a table, got " + describe(value), null);
    }

    /** Unknown keys where QueryMT's files may have some: warnings, or errors when strict. */
    private void checkKeys(Map<String, Object> t, String path, List<String> known) {
        checkKeys(t, path, known, strict);
    }

    private void checkKeys(Map<String, Object> t, String path, List<String> known, boolean refuse) {
        for (String key : t.keySet()) {
            if (!known.contains(key)) {
                String at = path.isEmpty() ? key : path + "." + key;
                String message = "unknown key '" + key + "'" + (path.isEmpty() ? " at the top level" : " in " + path);
                Optional<String> suggestion = KeySuggestions.closest(key, known);
                if (refuse) {
                    throw tree.error(at, message, suggestion.map(s -> "did you mean '" + s + "'? ").orElse("")
                            + "known keys: " + String.join(", ", known));
                }
                warnings.add(new ConfigWarning(tree.where(at), at, message, suggestion));
            }
        }
    }

    private String requiredString(Map<String, Object> t, String path, String key) {
        Object v = t.get(key);
        if (v == null) {
            throw tree.error(path, "missing required key '" + key + "'", null);
        }
        return optionalString(t, path, key).orElseThrow();
    }

    private Optional<String> optionalString(Map<String, Object> t, String path, String key) {
        Object v = t.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        throw tree.error(path + "." + key, "expected a string, got " + describe(v), null);
    }

    private Optional<Boolean> optionalBoolean(Map<String, Object> t, String path, String key) {
        Object v = t.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Boolean b) {
            return Optional.of(b);
        }
        throw tree.error(path + "." + key, "expected true or false, got " + describe(v), null);
    }

    private Map<String, Object> optionalTable(Map<String, Object> t, String path, String key) {
        Object v = t.get(key);
        return v == null ? Map.of() : table(v, path + "." + key);
    }

    private List<String> stringList(Map<String, Object> t, String path, String key) {
        Object v = t.get(key);
        if (v == null) {
            return List.of();
        }
        String at = path + "." + key;
        if (!(v instanceof List<?> list)) {
            throw tree.error(at, "expected a list of strings, got " + describe(v), null);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw tree.error(at + "[" + i + "]", "expected a string, got " + describe(list.get(i)), null);
            }
            out.add(s);
        }
        return out;
    }

    /** How a value appears in "got ..." messages. */
    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Map<?, ?>) {
            return "a table";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return v.toString();
    }
}
