package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module layering of docs/architecture.md, checked on the main sources of every module (as
 * go-containerregistry's depcheck test does): no module imports another module's {@code internal}
 * packages, the OCI half (fetching, caching and verifying bytes) never imports the runtime half
 * (running them), and the provider API and the native runtime know nothing of the Wasm runtime (so
 * an application of native plugins does not carry Chicory). Maven only checks that a dependency is
 * declared, not that it points the right way.
 */
class ModuleDependencyRulesTest {
    private static final Path REPO = CliHostCommandsTest.REPO;
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(dev\\.qmt4j\\.[\\w.]+);", Pattern.MULTILINE);
    /** The OCI half: given an image reference, bytes on disk that are verified; nothing of running them. */
    private static final Set<String> OCI_HALF = Set.of("qmt4j-core", "qmt4j-oci", "qmt4j-cache", "qmt4j-pull", "qmt4j-sigstore", "qmt4j-config");
    /** Packages of the runtime half. */
    private static final List<String> RUNTIME_PACKAGES = List.of("dev.qmt4j.wasm", "dev.qmt4j.provider", "dev.qmt4j.nativeplugin", "dev.qmt4j.host",
            "dev.qmt4j.cli", "dev.qmt4j.langchain4j");
    /** Modules that must work without the Wasm runtime: the provider API and the native runtime. */
    private static final Set<String> WITHOUT_WASM = Set.of("qmt4j-provider", "qmt4j-native");
    /** Packages of the Wasm runtime: the Extism host on Chicory and the Wasm provider on it. */
    private static final List<String> WASM_PACKAGES = List.of("dev.qmt4j.wasm", "dev.qmt4j.provider.wasm");
    /** Artifacts of the Wasm runtime, which {@link #WITHOUT_WASM} modules may use in tests only. */
    private static final Pattern WASM_ARTIFACT = Pattern.compile(
            "<groupId>com\\.dylibso\\.chicory</groupId>|<artifactId>(qmt4j-wasm|qmt4j-provider-wasm)</artifactId>");
    /** A name from the pull or cache modules, imported or written out in full. */
    private static final Pattern PULL_OR_CACHE_NAME = Pattern.compile("\\bdev\\.qmt4j\\.(pull|cache)\\.\\w+");
    /** The pull and cache artifacts, which qmt4j-sigstore may use in tests only. */
    private static final Pattern PULL_OR_CACHE_ARTIFACT = Pattern.compile("<artifactId>(qmt4j-pull|qmt4j-cache)</artifactId>");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    @Test
    void noModuleImportsAnotherModulesInternalPackages() {
        List<String> violations = new ArrayList<>();
        forEachImport((module, file, imported) -> {
            int internal = imported.indexOf(".internal.");
            if (internal >= 0 && !packagesOf(module).contains(imported.substring(0, internal + ".internal".length()))) {
                violations.add(REPO.relativize(file) + " imports " + imported);
            }
        });
        assertEquals(List.of(), violations, "internal packages are private to their module");
    }

    @Test
    void theOciHalfNeverImportsTheRuntimeHalf() {
        List<String> violations = new ArrayList<>();
        forEachImport((module, file, imported) -> {
            if (OCI_HALF.contains(module) && RUNTIME_PACKAGES.stream().anyMatch(p -> imported.startsWith(p + "."))) {
                violations.add(REPO.relativize(file) + " imports " + imported);
            }
        });
        assertEquals(List.of(), violations, "oci, cache, pull, sigstore and config must not depend on running plugins");
    }

    @Test
    void theProviderApiAndTheNativeRuntimeNeverImportTheWasmRuntime() {
        List<String> violations = new ArrayList<>();
        forEachImport((module, file, imported) -> {
            if (WITHOUT_WASM.contains(module) && WASM_PACKAGES.stream().anyMatch(p -> imported.startsWith(p + "."))) {
                violations.add(REPO.relativize(file) + " imports " + imported);
            }
        });
        assertEquals(List.of(), violations, "qmt4j-provider and qmt4j-native must not depend on the Wasm runtime");
    }

    @Test
    void theProviderApiAndTheNativeRuntimeDeclareNoWasmDependency() throws IOException {
        // imports cannot see a transitive dependency: a compile-scope qmt4j-wasm would bring Chicory along
        List<String> violations = new ArrayList<>();
        for (String module : WITHOUT_WASM) {
            Matcher d = DEPENDENCY.matcher(Files.readString(REPO.resolve(module).resolve("pom.xml")));
            while (d.find()) {
                String dependency = d.group(1);
                if (WASM_ARTIFACT.matcher(dependency).find() && !dependency.contains("<scope>test</scope>")) {
                    violations.add(module + ": " + dependency.strip());
                }
            }
        }
        assertEquals(List.of(), violations, "only test-scope dependencies on the Wasm runtime");
    }

    @Test
    void sigstoreNeverUsesPullOrCache() throws IOException {
        // The verifier seam (SignatureVerifier, in qmt4j-oci) and the permission rules (CachePermissions, in
        // qmt4j-core) sit below pull and cache, so verification does not depend on how bytes are pulled or stored
        // (docs/architecture.md). Fully qualified names count as well as imports.
        List<String> violations = new ArrayList<>();
        Path sources = REPO.resolve("qmt4j-sigstore/src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = PULL_OR_CACHE_NAME.matcher(Files.readString(file));
                while (m.find()) {
                    violations.add(REPO.relativize(file) + " uses " + m.group());
                }
            }
        }
        Matcher d = DEPENDENCY.matcher(Files.readString(REPO.resolve("qmt4j-sigstore/pom.xml")));
        while (d.find()) {
            String dependency = d.group(1);
            if (PULL_OR_CACHE_ARTIFACT.matcher(dependency).find() && !dependency.contains("<scope>test</scope>")) {
                violations.add("qmt4j-sigstore/pom.xml: " + dependency.strip());
            }
        }
        assertEquals(List.of(), violations, "qmt4j-sigstore must not depend on qmt4j-pull or qmt4j-cache (tests may)");
    }

    @Test
    void theRulesSeeEveryModule() {
        // A rule over no files passes on anything: make sure the scan finds the modules and their imports.
        Map<String, Integer> imports = new TreeMap<>();
        forEachImport((module, file, imported) -> imports.merge(module, 1, Integer::sum));
        // (qmt4j-core imports no other module, so it has no entry)
        assertTrue(imports.keySet().containsAll(List.of("qmt4j-oci", "qmt4j-cache", "qmt4j-pull", "qmt4j-sigstore", "qmt4j-config")),
                "scanned: " + imports.keySet());
        assertTrue(imports.keySet().containsAll(List.of("qmt4j-wasm", "qmt4j-provider", "qmt4j-provider-wasm", "qmt4j-native",
                "qmt4j-host", "qmt4j-cli")), "scanned: " + imports.keySet());
        assertTrue(imports.get("qmt4j-cli") > 50, "CLI imports: " + imports.get("qmt4j-cli"));
    }

    private interface ImportVisitor {
        void visit(String module, Path file, String imported);
    }

    private static void forEachImport(ImportVisitor visitor) {
        for (Path module : modules()) {
            Path sources = module.resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = IMPORT.matcher(Files.readString(file));
                    while (m.find()) {
                        visitor.visit(module.getFileName().toString(), file, m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<Path> modules() {
        try (Stream<Path> dirs = Files.list(REPO)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("qmt4j-") && Files.isRegularFile(d.resolve("pom.xml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packages a module declares (directories holding Java files under src/main/java). */
    private static Set<String> packagesOf(String module) {
        Path sources = REPO.resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            return Set.copyOf(files.filter(f -> f.toString().endsWith(".java"))
                    .map(f -> sources.relativize(f.getParent()).toString().replace('/', '.')).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
