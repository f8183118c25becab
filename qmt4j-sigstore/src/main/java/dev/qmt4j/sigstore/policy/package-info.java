/**
 * Verification policies and results: IdentityPolicy (cosign identity semantics), VerificationPolicy (keyless or keyed), VerificationResult (Verified or Rejected naming the Check that failed and the identities found).
 */
package dev.qmt4j.sigstore.policy;
