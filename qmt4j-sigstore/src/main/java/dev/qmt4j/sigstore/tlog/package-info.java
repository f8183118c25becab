/**
 * Transparency-log (Rekor) primitives: signed entry timestamps, RFC 6962 inclusion proofs, signed-note checkpoints, entry-body binding, and cosign's legacy Rekor bundle annotation.
 */
package dev.qmt4j.sigstore.tlog;
