package dev.qmt4j.host;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LockedProvider.LockedPlatform;
import dev.qmt4j.oci.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * A {@code qmt4j.lock} file: the pinned providers, written deterministically (sorted by name, then
 * reference; same input, same bytes) in the TOML format of docs/locking.md.
 *
 * @param providers the entries, in file order (sorted)
 */
public record LockFile(List<LockedProvider> providers) {
    /** The format version written in the file; a reader refuses any other. */
    public static final int VERSION = 1;

    /** The lockfile's default name, beside the config file. */
    public static final String DEFAULT_NAME = "qmt4j.lock";

    private static final Comparator<LockedProvider> ORDER =
            Comparator.comparing(LockedProvider::name).thenComparing(LockedProvider::reference);

    public LockFile {
        providers = providers.stream().sorted(ORDER).toList();
    }

    /** The entry for a provider name and reference as written, if the lock has one. */
    public Optional<LockedProvider> find(String name, String reference) {
        return providers.stream().filter(p -> p.name().equals(name) && p.reference().equals(reference)).findFirst();
    }

    /** The entry for a provider name, whatever its reference. */
    public Optional<LockedProvider> find(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The file's text. */
    public String toToml() {
        StringBuilder sb = new StringBuilder();
        sb.append("# qmt4j lockfile, written by 'qmt4j lock'; see docs/locking.md. Change it with 'qmt4j lock --update'.\n");
        sb.append("version = ").append(VERSION).append('\n');
        for (LockedProvider p : providers) {
            sb.append("\n[[provider]]\n");
            kv(sb, "name", p.name());
            kv(sb, "reference", p.reference());
            if (p instanceof LockedProvider.File f) {
                kv(sb, "sha256", f.sha256());
                continue;
            }
            LockedProvider.Oci o = (LockedProvider.Oci) p;
            o.tag().ifPresent(t -> kv(sb, "tag", t));
            kv(sb, "digest", o.digest());
            // The same keys as before structured signers (docs/locking.md, "Signer"): a key's fingerprint, or a
            // certificate's issuer and identity; each value a TOML string of its own, so no value can read as another.
            if (o.signer().isPresent() && o.signer().get() instanceof Signer.Keyless k) {
                k.issuer().ifPresent(v -> kv(sb, "signer_issuer", v));
                kv(sb, "signer_identity", k.identity());
            } else if (o.signer().isPresent()) {
                kv(sb, "signer_key", ((Signer.Key) o.signer().get()).fingerprint());
            }
            sb.append("signatures = [");
            for (int i = 0; i < o.signatures().size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(quote(o.signatures().get(i)));
            }
            sb.append("]\n");
            for (LockedPlatform pl : o.platforms()) {
                sb.append("\n[[provider.platform]]\n");
                pl.platform().ifPresent(v -> kv(sb, "platform", v));
                kv(sb, "manifest", pl.manifest());
                kv(sb, "type", pl.type());
                kv(sb, "layer", pl.layer());
            }
        }
        return sb.toString();
    }

    /** Writes the file atomically (a temporary file beside it, then a rename). */
    public void write(Path file) {
        Path abs = file.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), ".qmt4j-lock", ".tmp");
            try {
                Files.writeString(tmp, toToml(), StandardCharsets.UTF_8);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.CONFIG, "cannot write the lockfile " + file + ": " + e.getMessage(),
                    "check that the directory is writable, or choose another path with --lock FILE", e);
        }
    }

    /**
     * Reads a lockfile.
     *
     * @throws Qmt4jException {@code NOT_FOUND} when it does not exist, {@code CONFIG} when it is malformed
     */
    public static LockFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "no lockfile at " + file, "write it with 'qmt4j lock'");
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.CONFIG, "cannot read the lockfile " + file + ": " + e.getMessage(), null, e);
        }
        try {
            Map<?, ?> root = new TomlMapper().readValue(text, Map.class);
            if (!Integer.valueOf(VERSION).equals(root.get("version"))) {
                throw malformed(file, "version must be " + VERSION + ", got " + root.get("version"));
            }
            List<LockedProvider> out = new ArrayList<>();
            Object list = root.get("provider");
            if (list != null && !(list instanceof List)) {
                throw malformed(file, "'provider' must be an array of tables");
            }
            for (Object o : list == null ? List.of() : (List<?>) list) {
                out.add(entry(file, (Map<?, ?>) o));
            }
            return new LockFile(out);
        } catch (JacksonException | ClassCastException e) {
            throw malformed(file, e.getMessage());
        }
    }

    private static LockedProvider entry(Path file, Map<?, ?> m) {
        String name = str(file, m, "name");
        String reference = str(file, m, "reference");
        if (m.containsKey("sha256")) {
            return new LockedProvider.File(name, reference, str(file, m, "sha256"));
        }
        List<LockedPlatform> platforms = new ArrayList<>();
        Object pl = m.get("platform");
        for (Object o : pl == null ? List.of() : (List<?>) pl) {
            Map<?, ?> p = (Map<?, ?>) o;
            platforms.add(new LockedPlatform(opt(p, "platform"), str(file, p, "manifest"), str(file, p, "type"),
                    str(file, p, "layer")));
        }
        Optional<String> issuer = opt(m, "signer_issuer");
        Optional<String> identity = opt(m, "signer_identity");
        Optional<String> key = opt(m, "signer_key");
        Optional<Signer> signer = signer(file, issuer, identity, key);
        List<String> sigs = new ArrayList<>();
        Object s = m.get("signatures");
        for (Object o : s == null ? List.of() : (List<?>) s) {
            sigs.add((String) o);
        }
        return new LockedProvider.Oci(name, reference, opt(m, "tag"), str(file, m, "digest"), platforms, signer, sigs);
    }

    /**
     * The signer an entry records. A key and a certificate identity together name no one signer (qmt4j never
     * writes both), so such an entry is malformed rather than read as either; an issuer without an identity
     * is a certificate with no SAN (identity "").
     */
    private static Optional<Signer> signer(Path file, Optional<String> issuer, Optional<String> identity, Optional<String> key) {
        if (key.isPresent()) {
            if (issuer.isPresent() || identity.isPresent()) {
                throw malformed(file, "a provider entry records both signer_key and signer_identity/signer_issuer");
            }
            return Optional.of(new Signer.Key(key.get()));
        }
        if (issuer.isPresent() || identity.isPresent()) {
            return Optional.of(new Signer.Keyless(identity.orElse(""), issuer));
        }
        return Optional.empty();
    }

    private static String str(Path file, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw malformed(file, "a provider entry lacks the string '" + key + "'");
        }
        return s;
    }

    private static Optional<String> opt(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private static Qmt4jException malformed(Path file, String why) {
        return new Qmt4jException(ErrorKind.CONFIG, "lockfile " + file + " is malformed: " + why,
                "write it again with 'qmt4j lock' (do not edit it by hand)");
    }

    private static void kv(StringBuilder sb, String key, String value) {
        sb.append(key).append(" = ").append(quote(value)).append('\n');
    }

    /** A TOML basic string: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
