package dev.qmt4j.nativeplugin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;

/** The libraries build.sh compiled with gcc for the test build (target/native/os-arch/), and the Wasm build of the example. */
final class NativeLibs {
    static final String ECHO = "echo_provider";
    static final String ABI_999 = "abi_999";
    static final String QUERYMT_STYLE = "querymt_style";
    static final String NOT_A_PLUGIN = "not_a_plugin";

    private NativeLibs() {}

    static Path root() {
        return Path.of(System.getProperty("qmt4j.native.dir", "target/native"));
    }

    static Path dir(Platform p) {
        return root().resolve(p.os() + "-" + p.architecture());
    }

    static Path lib(String name) {
        String ext = System.getProperty("os.name").toLowerCase().contains("mac") ? ".dylib" : ".so";
        Path p = dir(Platform.host()).resolve("lib" + name + ext);
        assertTrue(Files.isRegularFile(p), "not built by build.sh: " + p);
        return p;
    }

    /** The Wasm build (clang, wasm-adapter/) of an example provider: target/native/wasi-wasm/NAME.wasm. */
    static Path wasm(String name) {
        Path p = root().resolve("wasi-wasm").resolve(name + ".wasm");
        assertTrue(Files.isRegularFile(p), "not built by build.sh: " + p);
        return p;
    }
}
