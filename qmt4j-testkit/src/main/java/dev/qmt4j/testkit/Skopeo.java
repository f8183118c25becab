package dev.qmt4j.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code /usr/bin/skopeo} against a test registry, to cross-check what qmt4j pushed with an
 * independent implementation. TLS verification is off (the registries are plain HTTP on loopback).
 */
public final class Skopeo {
    public static final Path BINARY = Path.of("/usr/bin/skopeo");

    private final String credentials;

    private Skopeo(String credentials) {
        Processes.requireExecutable(BINARY, "skopeo");
        this.credentials = credentials;
    }

    /** Anonymous access. */
    public static Skopeo anonymous() {
        return new Skopeo(null);
    }

    /** Access with {@code user:password}. */
    public static Skopeo withCredentials(String user, String password) {
        return new Skopeo(user + ":" + password);
    }

    /** Access with the credentials the registry accepts (anonymous for {@link RegistryServer.Auth#NONE}). */
    public static Skopeo forRegistry(RegistryServer registry) {
        return registry.auth() == RegistryServer.Auth.NONE ? anonymous()
                : withCredentials(registry.username(), registry.password());
    }

    /** The manifest bytes exactly as the registry serves them; {@code ref} is {@code host/repo:tag} or {@code @digest}. */
    public String inspectRaw(String ref) {
        return run(command("inspect", "--raw", "docker://" + ref));
    }

    /** skopeo's JSON summary of an image (includes {@code Digest}). */
    public String inspect(String ref) {
        return run(command("inspect", "docker://" + ref));
    }

    /** Runs skopeo with arbitrary arguments; returns stdout or throws with stderr. */
    public String run(List<String> command) {
        return Processes.check(command, null);
    }

    private List<String> command(String verb, String... args) {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), verb, "--tls-verify=false"));
        if (credentials != null) {
            cmd.add("--creds=" + credentials);
        } else {
            cmd.add("--no-creds");
        }
        cmd.addAll(List.of(args));
        return cmd;
    }
}
