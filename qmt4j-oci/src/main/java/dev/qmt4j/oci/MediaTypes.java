package dev.qmt4j.oci;

import java.util.Set;

/** Media types and annotation keys qmt4j reads and writes. */
public final class MediaTypes {
    private MediaTypes() {}

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String WASM_CONFIG = "application/vnd.wasm.v1.config+json";

    public static final String WASM_LAYER = "application/vnd.wasm.v1.layer+wasm";
    public static final String WASM_LAYER_CNCF = "application/wasm";
    public static final String WASM_LAYER_WASM_TO_OCI = "application/vnd.module.wasm.content.layer.v1+wasm";
    public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String DOCKER_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /** QueryMT's manifest annotation naming the plugin type ({@code extism}, {@code wasm} or {@code native}). */
    public static final String ANNOTATION_PLUGIN_TYPE = "mt.query.plugin.type";
    public static final String ANNOTATION_TITLE = "org.opencontainers.image.title";
    public static final String ANNOTATION_VERSION = "org.opencontainers.image.version";
    public static final String ANNOTATION_CREATED = "org.opencontainers.image.created";

    /** Every manifest type we ask for, in Accept order. */
    public static final Set<String> MANIFEST_TYPES = Set.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isWasmLayer(String mediaType) {
        return WASM_LAYER.equals(mediaType) || WASM_LAYER_CNCF.equals(mediaType) || WASM_LAYER_WASM_TO_OCI.equals(mediaType);
    }

    public static boolean isTarLayer(String mediaType) {
        return OCI_LAYER_TAR_GZIP.equals(mediaType) || DOCKER_LAYER_TAR_GZIP.equals(mediaType) || OCI_LAYER_TAR.equals(mediaType);
    }
}
