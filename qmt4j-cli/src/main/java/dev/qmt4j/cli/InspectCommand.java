package dev.qmt4j.cli;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginImage;
import dev.qmt4j.oci.PluginSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j inspect REF}: what an image holds and which plugin this host would get. Reads only
 * manifests (no blobs, no cache writes, no signature check), so it is safe on untrusted images.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show an image's digest, media types, platforms, layers, annotations and detected plugin type.")
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Parameters(index = "0", paramLabel = "REF", description = "The image reference.")
    String reference;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Detect for this platform instead of the host's.")
    String platform;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Option(names = "--route", description = "Only print the ordered sources ([[oci.registry]] mirrors, then the primary)"
            + " REF would be read from, what each may serve and why each is or is not used; contacts nothing.")
    boolean route;

    @Override
    public Integer call() {
        CliContext context = root.context;
        ImageRef ref = ImageRef.parse(reference);
        if (route) {
            RouteText.print(ref, context.services().connections().routes(), json, context.out());
            return 0;
        }
        Optional<Platform> override = Optional.ofNullable(platform).or(() -> Optional.ofNullable(root.context.platform))
                .map(Platform::parse);
        Platform host = Platform.host();
        Map<String, Object> out;
        try (ImageSource source = context.services().source(ref)) {
            out = describe(source, ref, host, override);
        }
        if (json) {
            context.out().println(Json.write(out));
        } else {
            InspectText.print(out, context.out());
        }
        return 0;
    }

    private static Map<String, Object> describe(ImageSource source, ImageRef ref, Platform host, Optional<Platform> override) {
        ManifestBlob top = source.resolve();
        Manifest manifest = top.parse();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", ref.canonical());
        out.put("digest", top.digest().toString());
        out.put("mediaType", manifest.mediaType());
        out.put("artifactType", manifest.artifactType());
        out.put("annotations", manifest.annotations());
        Map<String, ManifestBlob> fetched = new LinkedHashMap<>();
        if (manifest instanceof ImageIndex index) {
            List<Map<String, Object>> entries = new ArrayList<>();
            for (Descriptor d : index.manifests()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("platform", d.platform().map(Platform::toString));
                e.put("digest", d.digest().toString());
                e.put("mediaType", d.mediaType());
                e.put("size", d.size());
                e.put("artifactType", d.artifactType());
                if (!d.annotations().isEmpty()) {
                    e.put("annotations", d.annotations());
                }
                if (MediaTypes.MANIFEST_TYPES.contains(d.mediaType()) && !MediaTypes.isIndex(d.mediaType())) {
                    ManifestBlob child = source.manifest(d.digest());
                    fetched.put(d.digest().toString(), child);
                    if (child.parse() instanceof ImageManifest m) {
                        e.put("layers", layers(m));
                        e.put("manifestAnnotations", m.annotations());
                    }
                }
                entries.add(e);
            }
            out.put("manifests", entries);
        } else if (manifest instanceof ImageManifest m) {
            out.put("config", Map.of("mediaType", m.config().mediaType(), "digest", m.config().digest().toString(),
                    "size", m.config().size()));
            out.put("layers", layers(m));
        }
        Map<String, Object> detected = new LinkedHashMap<>();
        detected.put("for", override.orElse(host).toString());
        try {
            PluginImage plugin = PluginSelector.select(top,
                    d -> fetched.containsKey(d.toString()) ? fetched.get(d.toString()) : source.manifest(d), host, override);
            detected.put("type", plugin.type().id());
            detected.put("platform", plugin.platform().map(Platform::toString));
            detected.put("manifestDigest", plugin.manifestDigest().toString());
            detected.put("layer", plugin.layer().digest().toString());
        } catch (Qmt4jException e) {
            // Inspecting an image that does not fit this host is normal; say why, do not fail.
            detected.put("error", e.getMessage());
        }
        out.put("detected", detected);
        return out;
    }

    private static List<Map<String, Object>> layers(ImageManifest m) {
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Descriptor l : m.layers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("mediaType", l.mediaType());
            e.put("size", l.size());
            e.put("digest", l.digest().toString());
            e.put("title", Optional.ofNullable(l.annotations().get(MediaTypes.ANNOTATION_TITLE)));
            layers.add(e);
        }
        return layers;
    }
}
