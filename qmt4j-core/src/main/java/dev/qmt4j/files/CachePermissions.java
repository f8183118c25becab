package dev.qmt4j.files;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may change the cache and the trust root stored in it. Anyone who can write to the cache directory can
 * swap a plugin or plant a TUF root, so, as OpenSSH's {@code StrictModes} does for {@code ~/.ssh}, a directory
 * that is writable by group or others, or owned by a user other than the one running qmt4j (or root), is refused
 * with {@link ErrorKind#PERMISSIONS} (exit 14). See qmt4j-cache's README ("Permissions"). It is in qmt4j-core because
 * the cache and qmt4j-sigstore's TUF state both use it (docs/architecture.md).
 *
 * <p>The check can be turned off for a shared, read-only cache prepared by an administrator:
 * {@code [oci] cache_permissions_check = false} or {@code QMT4J_CACHE_PERMISSIONS_CHECK=false} (the environment
 * wins). On a file system without POSIX permissions (Windows) there is nothing to check.
 */
public final class CachePermissions {
    /** The environment variable that turns the check on or off ({@code true}/{@code false}). */
    public static final String ENV = "QMT4J_CACHE_PERMISSIONS_CHECK";
    /** The {@code [oci]} config key that turns the check on or off. */
    public static final String CONFIG_KEY = "cache_permissions_check";

    /** Directories are created {@code rwxr-xr-x} or stricter (the umask can only take bits away). */
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    /** Files are created {@code rw-r--r--} or stricter. */
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private CachePermissions() {}

    /** One thing wrong with a directory. */
    public record Problem(Path path, String what) {
        /** {@code <path> is writable by group and others}. */
        @Override
        public String toString() {
            return path + " " + what;
        }
    }

    /**
     * Whether the check is on: {@code QMT4J_CACHE_PERMISSIONS_CHECK} in {@code env} when set, else the config's value.
     *
     * @throws Qmt4jException {@code CONFIG} when the variable is neither true nor false
     */
    public static boolean enabled(Map<String, String> env, boolean configValue) {
        String v = env.get(ENV);
        if (v == null || v.isBlank()) {
            return configValue;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new Qmt4jException(ErrorKind.CONFIG, ENV + " must be true or false, got '" + v + "'", null);
        };
    }

    /**
     * The problems of each existing directory in {@code dirs}: writable by group or others, or owned by another
     * user (root is accepted, as by OpenSSH). Empty when all are fine or permissions cannot be read (not POSIX).
     */
    public static List<Problem> inspect(List<Path> dirs) {
        List<Problem> problems = new ArrayList<>();
        Optional<Integer> me = currentUid();
        for (Path dir : dirs) {
            PosixFileAttributes attrs;
            int uid;
            try {
                attrs = Files.readAttributes(dir, PosixFileAttributes.class);
                uid = (Integer) Files.getAttribute(dir, "unix:uid");
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return List.of(); // not a POSIX file system: nothing to check
            } catch (IOException e) {
                continue; // does not exist (yet)
            }
            Set<PosixFilePermission> perms = attrs.permissions();
            boolean group = perms.contains(PosixFilePermission.GROUP_WRITE);
            boolean others = perms.contains(PosixFilePermission.OTHERS_WRITE);
            if (group || others) {
                problems.add(new Problem(dir, "is writable by " + (group && others ? "group and others" : group ? "group" : "others")
                        + " (mode " + PosixFilePermissions.toString(perms) + ")"));
            }
            if (me.isPresent() && uid != me.get() && uid != 0) {
                problems.add(new Problem(dir, "is owned by " + attrs.owner().getName() + " (uid " + uid + "), not by the user running qmt4j (uid "
                        + me.get() + ")"));
            }
        }
        return problems;
    }

    /**
     * Refuses {@code dirs} if {@link #inspect} finds a problem.
     *
     * @param what the directories' role in messages ("cache directory", "trust-root directory")
     * @throws Qmt4jException {@link ErrorKind#PERMISSIONS} naming every problem and the fix
     */
    public static void check(List<Path> dirs, String what) {
        List<Problem> problems = inspect(dirs);
        if (!problems.isEmpty()) {
            throw refusal(problems, what);
        }
    }

    /** The {@code PERMISSIONS} error for {@code problems}. */
    public static Qmt4jException refusal(List<Problem> problems, String what) {
        StringBuilder msg = new StringBuilder("refusing the ").append(what).append(": ");
        for (int i = 0; i < problems.size(); i++) {
            msg.append(i == 0 ? "" : "; ").append(problems.get(i));
        }
        msg.append(" (someone else could swap plugins or trust material in it)");
        Path first = problems.get(0).path();
        return new Qmt4jException(ErrorKind.PERMISSIONS, msg.toString(), "run 'chmod go-w " + first + "' (and chown it to yourself), "
                + "or use another cache directory (--cache-dir, QMT4J_CACHE_DIR); for a shared read-only cache prepared by an "
                + "administrator set [oci] " + CONFIG_KEY + " = false or " + ENV + "=false");
    }

    /**
     * The directories of the cache at {@code root} that the check covers: the directory itself, its
     * subdirectories ({@code entries}, {@code refs}, ..., and their algorithm directories such as
     * {@code entries/sha256}; {@code wasm-compiled/chicory-<version>}, whose classes the JVM runs), and the trust-root state under {@code sigstore/tuf/}. Not the entries' own trees:
     * their files are checked against {@code entry.json} on every load.
     */
    public static List<Path> cacheDirectories(Path root) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(root);
        for (String sub : List.of("manifests", "entries", "refs", "evidence", "tmp", "locks", "urls", "wasm-compiled", "validated")) {
            Path d = root.resolve(sub);
            dirs.add(d);
            if (!sub.equals("tmp") && !sub.equals("locks") && !sub.equals("refs")) {
                dirs.addAll(children(d));
            }
        }
        Path tuf = root.resolve("sigstore").resolve("tuf");
        dirs.add(root.resolve("sigstore"));
        dirs.add(tuf);
        for (Path repo : children(tuf)) {
            dirs.addAll(trustRootDirectories(repo));
        }
        return dirs;
    }

    /** The directories of one TUF repository's state ({@code <cache>/sigstore/tuf/<host>}): it and its subdirectories. */
    public static List<Path> trustRootDirectories(Path tufRepositoryDir) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(tufRepositoryDir);
        dirs.addAll(children(tufRepositoryDir));
        return dirs;
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The attribute that creates a directory {@code rwxr-xr-x} or stricter, where POSIX permissions exist. */
    public static FileAttribute<?>[] dirAttributes(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR_MODE)} : new FileAttribute<?>[0];
    }

    /** The attribute that creates a file {@code rw-r--r--} or stricter, where POSIX permissions exist. */
    public static FileAttribute<?>[] fileAttributes(Path file) {
        return posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates {@code dir} and its missing parents {@code rwxr-xr-x} or stricter, whatever the umask.
     *
     * @throws IOException as {@link Files#createDirectories}
     */
    public static Path createDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, dirAttributes(dir));
    }

    /** The effective uid of this process: the owner of {@code /proc/self} (Linux), else via the JDK (macOS). */
    private static Optional<Integer> currentUid() {
        try {
            return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            // no /proc: below
        }
        try {
            Class<?> c = Class.forName("com.sun.security.auth.module.UnixSystem");
            return Optional.of((int) (long) (Long) c.getMethod("getUid").invoke(c.getConstructor().newInstance()));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty(); // unknown: only the mode is checked
        }
    }
}
