/**
 * Trust roots: the Sigstore public-good trusted_root.json embedded in the jar, trusted_root.json files, and manual PEM roots for private instances. TUF refresh is not implemented yet: a TUF client would hand verified trusted_root.json bytes to TrustRoot.fromJson.
 */
package dev.qmt4j.sigstore.trust;
