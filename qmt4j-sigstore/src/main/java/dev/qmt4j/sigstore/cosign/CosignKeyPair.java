package dev.qmt4j.sigstore.cosign;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A signing key and its public half, as read from a cosign key file or freshly generated.
 *
 * @param privateKey the private key (ECDSA, RSA or Ed25519)
 * @param publicKey  the matching public key
 */
public record CosignKeyPair(PrivateKey privateKey, PublicKey publicKey) {}
