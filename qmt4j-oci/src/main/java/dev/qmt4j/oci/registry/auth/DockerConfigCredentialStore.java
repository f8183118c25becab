package dev.qmt4j.oci.registry.auth;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credentials from the files {@code docker login} and {@code podman login} write.
 *
 * <p>Files are tried in order: {@code $DOCKER_CONFIG/config.json} (else {@code ~/.docker/config.json}),
 * {@code $REGISTRY_AUTH_FILE}, {@code $XDG_RUNTIME_DIR/containers/auth.json},
 * {@code ~/.config/containers/auth.json}. In each, a {@code credHelpers} entry for the registry wins,
 * then an {@code auths} entry, then the {@code credsStore} default helper. Keys may be written as
 * hosts or as URLs ({@code https://host/v1/}); Docker Hub is also found under its legacy
 * {@code https://index.docker.io/v1/} key. A missing or unreadable file means anonymous access. A
 * credential helper that is not installed (a {@code "credsStore": "desktop"} copied to a server) is a
 * warning: the lookup goes on in the next files and else goes anonymous, so public images still pull, and
 * it is reported as {@link CredentialLookup.HelperMissing} so that a refusal can name it. A helper that is
 * installed but fails (other than "credentials not found") is an {@code AUTH} error naming it, since silently
 * going anonymous would turn it into a confusing "denied" later. A helper that has not answered within
 * {@link #DEFAULT_HELPER_TIMEOUT} (10 s) is killed with every process it started, and that too is an
 * {@code AUTH} error naming it.
 */
public final class DockerConfigCredentialStore implements CredentialStore {
    private static final Logger LOG = LoggerFactory.getLogger(DockerConfigCredentialStore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DOCKER_HUB_LEGACY = "https://index.docker.io/v1/";
    /** How long a credential helper may take before it is killed (a keychain prompt nobody answers). */
    public static final Duration DEFAULT_HELPER_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, String> env;
    private final Path home;
    private final Duration helperTimeout;
    /** Helpers already warned about, so a pull with many requests warns once. */
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param env  environment variables to consult ({@code DOCKER_CONFIG}, {@code PATH}, ...)
     * @param home the user's home directory
     */
    public DockerConfigCredentialStore(Map<String, String> env, Path home) {
        this(env, home, DEFAULT_HELPER_TIMEOUT);
    }

    /**
     * @param env           environment variables to consult ({@code DOCKER_CONFIG}, {@code PATH}, ...)
     * @param home          the user's home directory
     * @param helperTimeout how long one credential helper run may take; then it and its children are killed
     */
    public DockerConfigCredentialStore(Map<String, String> env, Path home, Duration helperTimeout) {
        this.env = Map.copyOf(env);
        this.home = home;
        if (helperTimeout.isNegative() || helperTimeout.isZero()) {
            throw new IllegalArgumentException("helperTimeout must be positive: " + helperTimeout);
        }
        this.helperTimeout = helperTimeout;
    }

    /** Uses the process environment and {@code user.home}. */
    public static DockerConfigCredentialStore fromEnvironment() {
        return new DockerConfigCredentialStore(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The config files consulted, in order (they need not exist). */
    public List<Path> configFiles() {
        List<Path> files = new ArrayList<>();
        String dockerConfig = env.get("DOCKER_CONFIG");
        files.add(dockerConfig != null && !dockerConfig.isBlank()
                ? Path.of(dockerConfig, "config.json") : home.resolve(".docker/config.json"));
        String authFile = env.get("REGISTRY_AUTH_FILE");
        if (authFile != null && !authFile.isBlank()) {
            files.add(Path.of(authFile));
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            files.add(Path.of(runtime, "containers/auth.json"));
        }
        files.add(home.resolve(".config/containers/auth.json"));
        return files;
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
        return find(registry) instanceof CredentialLookup.Found f ? Optional.of(f.credentials()) : Optional.empty();
    }

    @Override
    public CredentialLookup find(String registry) {
        String host = normalise(registry);
        CredentialLookup.HelperMissing missing = null;
        for (Path file : configFiles()) {
            JsonNode root = read(file);
            if (root == null) {
                continue;
            }
            CredentialLookup found = lookupIn(root, host, file);
            if (found instanceof CredentialLookup.Found) {
                LOG.debug("credentials for {} from {}", host, file);
                return found;
            }
            if (found instanceof CredentialLookup.HelperMissing m && missing == null) {
                missing = m;
                if (warned.add(m.program())) {
                    LOG.warn("{}; trying {} without credentials", capitalise(m.explanation()), host);
                }
            }
        }
        LOG.debug("no credentials for {}; anonymous", host);
        return missing != null ? missing : new CredentialLookup.None();
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private CredentialLookup lookupIn(JsonNode root, String host, Path file) {
        JsonNode helpers = root.path("credHelpers");
        if (helpers.isObject()) {
            for (var e : helpers.properties()) {
                if (normalise(e.getKey()).equals(host) && e.getValue().isString()) {
                    return runHelper(e.getValue().stringValue(), serverUrl(host), "credHelpers", file);
                }
            }
        }
        JsonNode auths = root.path("auths");
        if (auths.isObject()) {
            for (var e : auths.properties()) {
                if (normalise(e.getKey()).equals(host)) {
                    Optional<Credentials> c = fromAuthEntry(e.getValue(), e.getKey(), file);
                    if (c.isPresent()) {
                        return new CredentialLookup.Found(c.get());
                    }
                }
            }
        }
        JsonNode store = root.path("credsStore");
        if (store.isString() && !store.stringValue().isBlank()) {
            return runHelper(store.stringValue(), serverUrl(host), "credsStore", file);
        }
        return new CredentialLookup.None();
    }

    private static Optional<Credentials> fromAuthEntry(JsonNode entry, String key, Path file) {
        String identity = text(entry, "identitytoken");
        if (identity != null && !identity.isEmpty()) {
            return Optional.of(new Credentials.IdentityToken(identity));
        }
        String auth = text(entry, "auth");
        if (auth != null && !auth.isEmpty()) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return Optional.of(new Credentials.Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
                }
            } catch (IllegalArgumentException e) {
                // fall through: an unreadable entry is as good as none
            }
            LOG.debug("ignoring malformed 'auth' for {} in {}", key, file);
        }
        String user = text(entry, "username");
        String password = text(entry, "password");
        if (user != null && password != null && !user.isEmpty()) {
            return Optional.of(new Credentials.Basic(user, password));
        }
        return Optional.empty();
    }

    private CredentialLookup runHelper(String name, String serverUrl, String configKey, Path file) {
        String program = "docker-credential-" + name;
        Path executable = findOnPath(program);
        if (executable == null) {
            return new CredentialLookup.HelperMissing(program, configKey, file);
        }
        try {
            // The output goes to files, not pipes: a helper (or a child it left behind) that never closes a
            // pipe would block a read for ever, before any timeout could be checked.
            Path outFile = Files.createTempFile("qmt4j-credential-helper", ".out");
            Path errFile = Files.createTempFile("qmt4j-credential-helper", ".err");
            byte[] out;
            String err;
            int exit;
            try {
                Process p = new ProcessBuilder(executable.toString(), "get")
                        .redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
                try (OutputStream in = p.getOutputStream()) {
                    in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
                } catch (IOException exitedEarly) {
                    // A helper that fails may exit before reading stdin (a broken pipe here); its exit
                    // code and output below say what went wrong.
                }
                if (!p.waitFor(helperTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(p);
                    throw helperFailed(program, serverUrl, "timed out after " + describe(helperTimeout)
                            + " (killed; a helper waiting for a keychain prompt or a login never answers)");
                }
                exit = p.exitValue();
                out = Files.readAllBytes(outFile);
                err = Files.readString(errFile, StandardCharsets.UTF_8).trim();
            } finally {
                Files.deleteIfExists(outFile);
                Files.deleteIfExists(errFile);
            }
            String stdout = new String(out, StandardCharsets.UTF_8).trim();
            if (exit != 0) {
                // The helper protocol reports "not found" on stdout with a non-zero exit: that just means anonymous.
                if (stdout.toLowerCase(Locale.ROOT).contains("credentials not found")) {
                    return new CredentialLookup.None();
                }
                throw helperFailed(program, serverUrl, "exit " + exit + (stdout.isEmpty() ? "" : ": " + stdout)
                        + (err.isEmpty() ? "" : ": " + err));
            }
            JsonNode json = JSON.readTree(stdout);
            String user = text(json, "Username");
            String secret = text(json, "Secret");
            if (secret == null) {
                throw helperFailed(program, serverUrl, "no Secret in its output");
            }
            return new CredentialLookup.Found("<token>".equals(user) ? new Credentials.IdentityToken(secret)
                    : new Credentials.Basic(user == null ? "" : user, secret));
        } catch (IOException e) {
            throw helperFailed(program, serverUrl, e.getMessage());
        } catch (JacksonException e) {
            throw helperFailed(program, serverUrl, "its output is not JSON");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw helperFailed(program, serverUrl, "interrupted");
        }
    }

    /** Kills the helper and every process it started (their handles are taken first: once it dies they are re-parented). */
    private static void kill(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Qmt4jException helperFailed(String program, String serverUrl, String why) {
        return new Qmt4jException(ErrorKind.AUTH, "credential helper " + program + " failed for " + serverUrl + ": " + why,
                "run 'echo " + serverUrl + " | " + program + " get' to see the problem, or log in again with docker login");
    }

    private Path findOnPath(String program) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            return root != null && root.isObject() ? root : null;
        } catch (IOException | JacksonException e) {
            LOG.debug("ignoring unreadable credentials file {}: {}", file, e.getMessage());
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() ? v.stringValue() : null;
    }

    /** What helpers are asked for: Docker Hub keeps its historical URL, others their host. */
    private static String serverUrl(String host) {
        return host.equals("docker.io") ? DOCKER_HUB_LEGACY : host;
    }

    /** Reduces a key or registry name to a host[:port]; all of Docker Hub's names become {@code docker.io}. */
    static String normalise(String key) {
        String s = key.trim().toLowerCase(Locale.ROOT);
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        if (s.equals("index.docker.io") || s.equals("registry-1.docker.io") || s.equals("registry.hub.docker.com")) {
            return "docker.io";
        }
        return s;
    }
}
