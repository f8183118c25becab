package dev.qmt4j.pull.extract;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.Locale;

/** Rules for plugin file names given by users and found in archives. */
public final class PluginFileNames {
    /** What a Wasm layer is called when the provider config names no file. */
    public static final String DEFAULT_WASM = "plugin.wasm";

    private PluginFileNames() {}

    /**
     * Checks that a configured file name is a plain name: no directory separators, not {@code .}
     * or {@code ..}, no control characters. Returns it unchanged.
     */
    public static String requirePlain(String name) {
        boolean bad = name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 255
                || name.chars().anyMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == ':');
        if (bad) {
            throw new Qmt4jException(ErrorKind.USAGE, "invalid plugin file name '" + name + "'",
                    "give a plain file name such as plugin.wasm or libmy_plugin.so, without directories");
        }
        return name;
    }

    /** Whether a file name looks like a shared library on any platform. */
    public static boolean isSharedLibrary(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".so") || n.endsWith(".dylib") || n.endsWith(".dll");
    }
}
