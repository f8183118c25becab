package dev.qmt4j.sigstore.cosign;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl {@code crypto_secretbox} (XSalsa20-Poly1305), the cipher of cosign's encrypted key files:
 * the first 32 bytes of the XSalsa20 key stream key Poly1305, the rest encrypts the message, and
 * the box is {@code tag(16) || ciphertext} as Go's {@code secretbox.Seal} writes it.
 */
final class SecretBox {
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 24;
    private static final int TAG_BYTES = 16;

    private SecretBox() {}

    static byte[] seal(byte[] message, byte[] nonce, byte[] key) {
        XSalsa20Engine stream = stream(nonce, key);
        byte[] polyKey = new byte[KEY_BYTES];
        stream.processBytes(new byte[KEY_BYTES], 0, KEY_BYTES, polyKey, 0);
        byte[] box = new byte[TAG_BYTES + message.length];
        stream.processBytes(message, 0, message.length, box, TAG_BYTES);
        byte[] tag = tag(polyKey, box, TAG_BYTES, message.length);
        System.arraycopy(tag, 0, box, 0, TAG_BYTES);
        return box;
    }

    /** The opened message, or {@code null} if the box does not authenticate under this key. */
    static byte[] open(byte[] box, byte[] nonce, byte[] key) {
        if (box.length < TAG_BYTES) {
            return null;
        }
        XSalsa20Engine stream = stream(nonce, key);
        byte[] polyKey = new byte[KEY_BYTES];
        stream.processBytes(new byte[KEY_BYTES], 0, KEY_BYTES, polyKey, 0);
        int n = box.length - TAG_BYTES;
        byte[] expected = tag(polyKey, box, TAG_BYTES, n);
        if (!MessageDigest.isEqual(expected, Arrays.copyOf(box, TAG_BYTES))) {
            return null;
        }
        byte[] message = new byte[n];
        stream.processBytes(box, TAG_BYTES, n, message, 0);
        return message;
    }

    private static XSalsa20Engine stream(byte[] nonce, byte[] key) {
        if (nonce.length != NONCE_BYTES || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("secretbox needs a 24-byte nonce and a 32-byte key");
        }
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return engine;
    }

    private static byte[] tag(byte[] polyKey, byte[] data, int off, int len) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(polyKey));
        mac.update(data, off, len);
        byte[] out = new byte[TAG_BYTES];
        mac.doFinal(out, 0);
        return out;
    }
}
