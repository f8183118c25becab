package dev.qmt4j.config;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads containers' registries.conf (version 2) and its {@code registries.conf.d} drop-ins, as
 * {@code [oci] registries_conf} asks (docs/mirrors.md): the main file, then each {@code *.conf} of the drop-in
 * directories in name order, a later {@code [[registry]]} replacing an earlier one with the same prefix, as
 * containers-registries.conf.d(5) describes.
 */
final class RegistriesConf {
    private RegistriesConf() {}

    /**
     * {@code registries_conf = "system"}: {@code $CONTAINERS_REGISTRIES_CONF}, else
     * {@code ~/.config/containers/registries.conf} if it exists, else {@code /etc/containers/registries.conf}; then the
     * drop-ins of {@code /etc/containers/registries.conf.d} and {@code ~/.config/containers/registries.conf.d}. Missing
     * files are no entries.
     */
    static List<RegistrySettings> system(Map<String, String> env) {
        Path home = Path.of(System.getProperty("user.home", "."));
        Path user = home.resolve(".config/containers/registries.conf");
        String override = env.get("CONTAINERS_REGISTRIES_CONF");
        Path main = override != null && !override.isBlank() ? Path.of(override)
                : Files.exists(user) ? user : Path.of("/etc/containers/registries.conf");
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(main)) {
            files.add(main);
        }
        files.addAll(dropIns(Path.of("/etc/containers/registries.conf.d")));
        files.addAll(dropIns(home.resolve(".config/containers/registries.conf.d")));
        return readAll(files);
    }

    /** {@code registries_conf = "path"}: that file (which must exist), then the {@code registries.conf.d} next to it. */
    static List<RegistrySettings> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new Qmt4jException(ErrorKind.CONFIG, "registries_conf: " + file + " does not exist",
                    "point [oci] registries_conf at a registries.conf file, or write \"system\"");
        }
        List<Path> files = new ArrayList<>(List.of(file));
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            files.addAll(dropIns(dir.resolve("registries.conf.d")));
        }
        return readAll(files);
    }

    /** {@code base}'s entries with {@code over}'s replacing those of the same prefix. */
    static List<RegistrySettings> merge(List<RegistrySettings> base, List<RegistrySettings> over) {
        Map<String, RegistrySettings> byPrefix = new LinkedHashMap<>();
        base.forEach(r -> byPrefix.put(r.prefix(), r));
        over.forEach(r -> byPrefix.put(r.prefix(), r));
        return List.copyOf(byPrefix.values());
    }

    private static List<RegistrySettings> readAll(List<Path> files) {
        List<RegistrySettings> out = List.of();
        for (Path f : files) {
            out = merge(out, ConfigSchema.registriesConf(ConfigTree.read(f, ConfigFormat.TOML)));
        }
        return out;
    }

    private static List<Path> dropIns(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.CONFIG, "cannot list " + dir + ": " + e.getMessage(), null, e);
        }
    }
}
