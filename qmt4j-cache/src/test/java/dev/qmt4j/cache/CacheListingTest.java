package dev.qmt4j.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.ManifestBuilder;
import dev.qmt4j.oci.ManifestCodec;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cache ls} shows every cached build of a reference, not only the last pulled; one can be removed by platform. */
class CacheListingTest {
    private static final ImageRef REF = ImageRef.parse("oci://ghcr.io/acme/echo:1.0");
    private static final Platform AMD64 = Platform.of("linux", "amd64");
    private static final Platform ARM64 = Platform.of("linux", "arm64");

    @TempDir
    Path dir;

    private record Published(Digest index, ManifestBuilder.Built amd64, ManifestBuilder.Built arm64,
            ManifestBuilder.Built wasm) {}

    /** An index of linux/amd64, linux/arm64 and wasi/wasm, with every manifest in the cache (as a pull leaves them). */
    private Published index(PluginCache cache) throws IOException {
        ManifestBuilder.Built amd64 = nativeManifest(Files.writeString(dir.resolve("amd64.tgz"), "amd64")).build();
        ManifestBuilder.Built arm64 = nativeManifest(Files.writeString(dir.resolve("arm64.tgz"), "arm64")).build();
        ManifestBuilder.Built wasm = ImagePackager.wasmManifest(Files.writeString(dir.resolve("p.wasm"), "wasm"), Map.of())
                .build();
        ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, Optional.empty(), List.of(amd64.descriptor(Optional.of(AMD64)),
                arm64.descriptor(Optional.of(ARM64)), wasm.descriptor(Optional.of(Platform.WASI_WASM))), Map.of());
        byte[] bytes = ManifestCodec.write(index);
        Digest top = Digest.sha256(bytes);
        cache.putManifest(new ManifestBlob(top, MediaTypes.OCI_INDEX, bytes));
        for (ManifestBuilder.Built b : List.of(amd64, arm64, wasm)) {
            cache.putManifest(new ManifestBlob(b.digest(), MediaTypes.OCI_MANIFEST, b.bytes()));
        }
        return new Published(top, amd64, arm64, wasm);
    }

    private static ManifestBuilder nativeManifest(Path layer) {
        return ImagePackager.manifest().config(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8))
                .layer(MediaTypes.OCI_LAYER_TAR_GZIP, layer, Map.of());
    }

    private static CacheEntry commit(PluginCache cache, ManifestBuilder.Built image, PluginType type, String file)
            throws IOException {
        Digest layer = image.manifest().layers().get(0).digest();
        // A Wasm entry's file is the layer itself (checked on a full re-hash); a native one is unpacked from it.
        byte[] content = (type == PluginType.WASM ? "wasm" : "plugin of " + layer).getBytes(StandardCharsets.UTF_8);
        return cache.install(EntryKey.of(layer), false, PluginCacheTest::fail, (scratch, tree) -> {
            Files.createDirectories(tree);
            Files.write(tree.resolve(file), content);
            return new EntryContents(type, layer, file, Map.of(file, Digest.sha256(content).hex()), Map.of(), content.length);
        }, PluginCache.Installed::entry);
    }

    @Test
    void listsEveryCachedBuildOfAReferenceInIndexOrder() throws IOException {
        PluginCache cache = PluginCache.open(dir.resolve("cache"));
        Published p = index(cache);
        CacheEntry nativeEntry = commit(cache, p.amd64(), PluginType.NATIVE, "libecho.so");
        CacheEntry wasmEntry = commit(cache, p.wasm(), PluginType.WASM, "plugin.wasm");
        Instant at = Instant.parse("2026-05-06T07:08:09Z");
        // the last pull was the Wasm build; the native one was pulled before under the same record
        cache.putRef(new RefRecord(REF.canonical(), p.index(), MediaTypes.OCI_INDEX, at, Optional.of(wasmEntry.key()),
                Optional.of(PluginType.WASM)));

        List<CachedReference> listed = cache.list();

        assertEquals(1, listed.size());
        List<CachedBuild> builds = listed.get(0).builds();
        assertEquals(List.of(
                new CachedBuild(Optional.of(AMD64), PluginType.NATIVE, p.amd64().digest(), nativeEntry.key(),
                        nativeEntry.contents().size(), nativeEntry.pluginPath(), false),
                new CachedBuild(Optional.of(Platform.WASI_WASM), PluginType.WASM, p.wasm().digest(), wasmEntry.key(),
                        wasmEntry.contents().size(), wasmEntry.pluginPath(), true)), builds, "arm64 was never pulled");
        assertEquals(List.of("linux/amd64 native", "wasi/wasm wasm"), builds.stream().map(CachedBuild::label).toList());
        assertEquals(builds, cache.builds(ImageRef.parse("ghcr.io/acme/echo:1.0")), "by any spelling of the reference");
        // verify REF re-hashes every build of the reference, not only the last pulled
        List<EntryVerification> verified = cache.verify(Optional.of(REF));
        assertEquals(List.of(nativeEntry.directory(), wasmEntry.directory()).stream().sorted().toList(),
                verified.stream().map(EntryVerification::directory).sorted().toList());
        assertTrue(verified.stream().allMatch(v -> v.problem().isEmpty()), verified.toString());
    }

    @Test
    void removesOneBuildByPlatformAsPullWouldSelectIt() throws IOException {
        PluginCache cache = PluginCache.open(dir.resolve("cache"));
        Published p = index(cache);
        CacheEntry nativeEntry = commit(cache, p.amd64(), PluginType.NATIVE, "libecho.so");
        CacheEntry wasmEntry = commit(cache, p.wasm(), PluginType.WASM, "plugin.wasm");
        cache.putRef(new RefRecord(REF.canonical(), p.index(), MediaTypes.OCI_INDEX, Instant.now(),
                Optional.of(nativeEntry.key()), Optional.of(PluginType.NATIVE)));

        assertEquals(List.of(), cache.removeBuilds(REF, Platform.of("linux", "riscv64")), "no such build");
        List<CachedBuild> removed = cache.removeBuilds(REF, Platform.parse("wasip1/wasm"));
        assertEquals(List.of(wasmEntry.key()), removed.stream().map(CachedBuild::entry).toList());
        assertFalse(Files.exists(wasmEntry.directory()));
        assertTrue(Files.exists(nativeEntry.directory()));
        assertEquals(List.of(nativeEntry.key()), cache.builds(REF).stream().map(CachedBuild::entry).toList());
        assertTrue(cache.findRef(REF).isPresent(), "the reference stays");
    }

    @Test
    void aSingleImageServesEveryPlatformItCanRunOn() {
        CachedBuild wasm = new CachedBuild(Optional.empty(), PluginType.WASM, Digest.sha256(new byte[] {1}),
                EntryKey.of(Digest.sha256(new byte[] {2})), 1, Path.of("p"), true);
        CachedBuild nativeOnly = new CachedBuild(Optional.empty(), PluginType.NATIVE, Digest.sha256(new byte[] {1}),
                EntryKey.of(Digest.sha256(new byte[] {2})), 1, Path.of("p"), true);
        assertTrue(wasm.servesRequest(Platform.WASI_WASM));
        assertTrue(wasm.servesRequest(AMD64));
        assertFalse(nativeOnly.servesRequest(Platform.WASI_WASM));
        assertTrue(nativeOnly.servesRequest(AMD64));
        assertEquals("- wasm", wasm.label());
        CachedBuild arm = new CachedBuild(Optional.of(Platform.parse("linux/arm64/v8")), PluginType.NATIVE,
                Digest.sha256(new byte[] {1}), EntryKey.of(Digest.sha256(new byte[] {2})), 1, Path.of("p"), false);
        assertTrue(arm.servesRequest(ARM64), "arm64 takes arm64/v8, as pull does");
        assertFalse(arm.servesRequest(AMD64));
    }
}
