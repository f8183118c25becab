package dev.qmt4j.pull.extract;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.PluginType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** Turns a downloaded, digest-checked plugin layer into the plugin file (and companions) in a tree directory. */
public final class PluginExtractor {
    private final TarExtractor tar;

    public PluginExtractor(ExtractionLimits limits) {
        this.tar = new TarExtractor(limits);
    }

    /**
     * @param type      Wasm (the layer is the module) or native (the layer is a tar(+gzip))
     * @param layer     the layer's digest, already checked against {@code layerFile}
     * @param layerFile the downloaded layer; a Wasm layer is moved, so it is gone afterwards
     * @param tree      an empty directory on the same file system
     * @param fileName  the configured plugin file name, if any
     */
    public ExtractedTree extract(PluginType type, Digest layer, Path layerFile, Path tree, Optional<String> fileName) {
        return switch (type) {
            case WASM -> wasm(layer, layerFile, tree, fileName);
            case NATIVE -> tar.extract(layerFile, tree, fileName);
        };
    }

    private static ExtractedTree wasm(Digest layer, Path layerFile, Path tree, Optional<String> fileName) {
        String name = fileName.map(PluginFileNames::requirePlain).orElse(PluginFileNames.DEFAULT_WASM);
        try {
            Files.createDirectories(tree);
            Path target = tree.resolve(name);
            Files.move(layerFile, target, StandardCopyOption.ATOMIC_MOVE);
            // The layer was hashed during download; only hash again if its digest is not sha256.
            String sha256 = layer.algorithm().equals("sha256") ? layer.hex() : sha256(target);
            return new ExtractedTree(name, Map.of(name, sha256), Map.of(), Files.size(target));
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.EXTRACTION, "cannot place the Wasm plugin in " + tree + ": " + e.getMessage(),
                    "check that the cache directory is writable and the disk is not full", e);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = Digest.newMessageDigest("sha256");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
