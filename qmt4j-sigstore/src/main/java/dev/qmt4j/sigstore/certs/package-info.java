/**
 * X.509 primitives: Fulcio certificate chain validation at a trusted time, embedded SCT verification, RFC 3161 timestamps, Fulcio OID extensions (CertificateIdentity), PEM and key helpers.
 */
package dev.qmt4j.sigstore.certs;
