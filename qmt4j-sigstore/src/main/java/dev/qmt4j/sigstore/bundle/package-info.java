/**
 * Sigstore bundles (v0.1-v0.3): parsing and complete verification against an artifact and a policy (BundleVerifier).
 */
package dev.qmt4j.sigstore.bundle;
