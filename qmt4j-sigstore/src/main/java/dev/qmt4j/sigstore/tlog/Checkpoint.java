package dev.qmt4j.sigstore.tlog;

import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A transparency-log checkpoint in the C2SP signed-note format: a body (origin, tree size, base64
 * root hash, optional extension lines), a blank line, and signature lines
 * {@code "— <name> <base64(4-byte key hint || signature)>"}.
 *
 * @param origin the first body line (Rekor v1: {@code <host> - <treeID>}, Rekor v2: {@code <host>})
 * @param treeSize the tree size
 * @param rootHash the root hash
 * @param signedBody the exact signed bytes (the body, up to and including its last newline)
 * @param signatures the signature lines
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash, byte[] signedBody, List<NoteSignature> signatures) {

    /** One signature line: signer name, 4-byte key hint and signature bytes. */
    public record NoteSignature(String name, byte[] keyHint, byte[] signature) {}

    /**
     * Parses a checkpoint envelope.
     *
     * @throws VerificationException ({@link Check#TLOG_CHECKPOINT}) if malformed
     */
    public static Checkpoint parse(String envelope) throws VerificationException {
        int sep = envelope.indexOf("\n\n");
        if (sep < 0) {
            throw bad("has no blank line between body and signatures");
        }
        String body = envelope.substring(0, sep + 1);
        String[] lines = body.split("\n", -1);
        // lines ends with "" after the final newline
        if (lines.length < 4) {
            throw bad("body needs origin, tree size and root hash lines");
        }
        String origin = lines[0];
        if (origin.isEmpty()) {
            throw bad("has an empty origin line");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
            if (size < 0 || !lines[1].equals(Long.toString(size))) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw bad("has an invalid tree size line '" + lines[1] + "'");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw bad("has an invalid root hash line");
        }
        if (root.length != 32) {
            throw bad("root hash is " + root.length + " bytes, expected 32");
        }
        List<NoteSignature> sigs = new ArrayList<>();
        String rest = envelope.substring(sep + 2);
        for (String line : rest.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("\u2014 ")) {
                throw bad("has a malformed signature line");
            }
            String[] parts = line.substring(2).split(" ");
            if (parts.length != 2) {
                throw bad("has a malformed signature line");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw bad("has a signature line that is not base64");
            }
            if (raw.length < 5) {
                throw bad("has a signature line that is too short");
            }
            sigs.add(new NoteSignature(parts[0], java.util.Arrays.copyOf(raw, 4), java.util.Arrays.copyOfRange(raw, 4, raw.length)));
        }
        if (sigs.isEmpty()) {
            throw bad("has no signatures");
        }
        return new Checkpoint(origin, size, root, body.getBytes(StandardCharsets.UTF_8), sigs);
    }

    private static VerificationException bad(String what) {
        return new VerificationException(Check.TLOG_CHECKPOINT, "checkpoint " + what);
    }
}
