/**
 * A small TUF client for Sigstore's trust root (https://theupdateframework.github.io/specification/latest/,
 * section 5): {@link dev.qmt4j.sigstore.trust.tuf.TufUpdater}
 * (root rotation, timestamp, snapshot, targets, target download with thresholds, versions, rollback,
 * expiry, lengths and hashes over OLPC canonical JSON), {@link dev.qmt4j.sigstore.trust.tuf.TufStore}
 * (atomic on-disk state) and {@link dev.qmt4j.sigstore.trust.tuf.SigstoreTufRoot} (refresh policy,
 * offline fallback with the root's age).
 */
package dev.qmt4j.sigstore.trust.tuf;
