package dev.qmt4j.config;

import java.util.List;

/**
 * The operating systems and architectures a provider's {@code platform} key may name: the Go
 * {@code GOOS}/{@code GOARCH} values OCI image indexes use, plus the WASI names and the common
 * aliases ({@code x86_64}, {@code aarch64}) the puller normalises.
 */
final class Platforms {
    static final List<String> OSES = List.of("linux", "darwin", "windows", "freebsd", "netbsd", "openbsd", "dragonfly",
            "illumos", "solaris", "aix", "android", "ios", "plan9", "js", "wasi", "wasip1", "wasip2");
    static final List<String> ARCHITECTURES = List.of("amd64", "x86_64", "arm64", "aarch64", "386", "arm", "riscv64",
            "ppc64", "ppc64le", "s390x", "mips", "mipsle", "mips64", "mips64le", "loong64", "wasm");

    private Platforms() {}
}
