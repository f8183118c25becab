package dev.qmt4j.config;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads containerd's registry host directory ({@code [oci] hosts_dir}, e.g. {@code /etc/containerd/certs.d}): one
 * {@code <registry>/hosts.toml} per registry, as containerd's hosts.md describes (docs/mirrors.md). {@code server} is
 * the primary location; each {@code [host."URL"]} is a mirror, in file order, whose {@code capabilities} give what it
 * may serve ({@code pull} alone: digest-only; {@code pull} and {@code resolve}: all; {@code resolve} alone: tag-only);
 * an {@code http://} URL is plain HTTP; the URL's path goes before {@code /v2} ({@code override_path}: the path is the
 * API root itself); {@code ca} files are trusted. {@code skip_verify} is refused: trust the CA instead.
 */
final class HostsDir {
    /** What the directory adds: registry entries and CA files. */
    record Read(List<RegistrySettings> registries, List<Path> caFiles) {}

    private static final List<String> TOP = List.of("server", "host", "capabilities", "ca", "skip_verify", "override_path",
            "client", "header", "dial_timeout");

    private HostsDir() {}

    static Read read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new Qmt4jException(ErrorKind.CONFIG, "hosts_dir: " + dir + " is not a directory",
                    "point [oci] hosts_dir at containerd's registry host directory, e.g. /etc/containerd/certs.d");
        }
        List<RegistrySettings> registries = new ArrayList<>();
        List<Path> ca = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(d -> d.resolve("hosts.toml")).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.CONFIG, "cannot list " + dir + ": " + e.getMessage(), null, e);
        }
        for (Path f : files) {
            String ns = f.getParent().getFileName().toString().toLowerCase(Locale.ROOT);
            if (ns.equals("_default")) {
                continue; // a fallback for every registry: not supported, the registry named is used directly
            }
            one(f, ns, registries, ca);
        }
        return new Read(registries, ca);
    }

    private static void one(Path file, String ns, List<RegistrySettings> out, List<Path> ca) {
        ConfigTree tree = ConfigTree.read(file, ConfigFormat.TOML);
        if (tree.root() == null) {
            return;
        }
        ConfigSchema s = ConfigSchema.of(tree);
        Map<String, Object> top = s.asTable(tree.root(), "");
        for (String key : top.keySet()) {
            if (!TOP.contains(key)) {
                throw tree.error(key, "unknown key '" + key + "' in hosts.toml", "known keys: " + String.join(", ", TOP));
            }
        }
        Optional<String> location = Optional.empty();
        boolean insecure = false;
        Optional<String> server = s.string(top, "", "server");
        if (server.isPresent()) {
            URI u = url(tree, "server", server.get());
            String host = authority(u);
            insecure = u.getScheme().equals("http");
            // containerd names Docker Hub's API host; qmt4j maps docker.io to it itself.
            if (!(ns.equals("docker.io") && host.equals("registry-1.docker.io")) && !host.equals(ns)) {
                location = Optional.of(host);
            }
        }
        check(tree, s, top, "", ca, file);
        List<RegistrySettings.MirrorSettings> mirrors = new ArrayList<>();
        Object hosts = top.get("host");
        if (hosts != null) {
            for (Map.Entry<String, Object> e : s.asTable(hosts, "host").entrySet()) {
                String path = "host." + e.getKey();
                Map<String, Object> h = s.asTable(e.getValue(), path);
                for (String key : h.keySet()) {
                    if (!TOP.contains(key) || key.equals("server") || key.equals("host")) {
                        throw tree.error(path + "." + key, "unknown key '" + key + "' in a [host] table", null);
                    }
                }
                check(tree, s, h, path, ca, file);
                List<String> caps = s.strings(h, path, "capabilities");
                boolean pull = caps.isEmpty() || caps.contains("pull");
                boolean resolve = caps.isEmpty() || caps.contains("resolve");
                if (!pull && !resolve) {
                    continue; // push-only: never read from
                }
                URI u = url(tree, path, e.getKey());
                String p = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
                boolean override = s.bool(h, path, "override_path").orElse(false);
                String api = override ? (p.isEmpty() ? "/v2" : p) : p + "/v2";
                mirrors.add(new RegistrySettings.MirrorSettings(authority(u), pull && resolve ? "all" : pull ? "digest-only" : "tag-only",
                        u.getScheme().equals("http"), api));
            }
        }
        out.add(new RegistrySettings(ns, location, insecure, false, mirrors));
    }

    /** {@code ca} files (relative to the hosts.toml's directory) and the refusal of {@code skip_verify}. */
    private static void check(ConfigTree tree, ConfigSchema s, Map<String, Object> t, String path, List<Path> ca, Path file) {
        String at = path.isEmpty() ? "" : path + ".";
        if (s.bool(t, path, "skip_verify").orElse(false)) {
            throw tree.error(at + "skip_verify", "skip_verify is not supported: qmt4j always checks certificates",
                    "trust the host's CA instead: ca = \"/path/ca.pem\" here, or [oci] ca_certificates");
        }
        for (String c : s.strings(t, path, "ca")) {
            Path p = Path.of(c);
            Path resolved = p.isAbsolute() ? p : file.getParent().resolve(p).normalize();
            if (!ca.contains(resolved)) {
                ca.add(resolved);
            }
        }
    }

    private static URI url(ConfigTree tree, String path, String text) {
        try {
            URI u = URI.create(text.contains("://") ? text : "https://" + text);
            if (!(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw tree.error(path, "'" + text + "' is not a registry URL", "write https://host[:port][/path] or http://…");
        }
    }

    private static String authority(URI u) {
        return (u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort())).toLowerCase(Locale.ROOT);
    }
}
