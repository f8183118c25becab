package dev.qmt4j.nativeplugin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The architecture an ELF shared library was built for, read from its header, in OCI spelling
 * ({@code amd64}, {@code arm64}, ...). Used only to explain a failed load: for a library of another
 * architecture the dynamic loader says "No such file or directory", which misleads.
 */
final class ElfMachine {
    // e_machine values (ELF gABI) for the architectures OCI indexes name.
    private static final Map<Integer, String> MACHINES = Map.of(0x3E, "amd64", 0xB7, "arm64", 0x03, "386", 0x28, "arm",
            0xF3, "riscv64", 0x15, "ppc64", 0x16, "s390x", 0x08, "mips", 0x102, "loong64");

    private ElfMachine() {}

    /** The architecture of the ELF file at {@code file}; empty if it is not ELF, unknown or unreadable. */
    static Optional<String> of(Path file) {
        byte[] h = new byte[20];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(h, 0, h.length) < h.length) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
            return Optional.empty();
        }
        boolean little = h[5] == 1; // EI_DATA: 1 little-endian, 2 big-endian
        int machine = little ? (h[18] & 0xff) | (h[19] & 0xff) << 8 : (h[19] & 0xff) | (h[18] & 0xff) << 8;
        return Optional.ofNullable(MACHINES.get(machine));
    }

    /** This JVM's architecture in OCI spelling. */
    static String host() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            default -> arch;
        };
    }
}
