package dev.qmt4j.provider.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Bytes}: a value (copies, equality, short text, base64) and its use in the content blocks. */
class BytesTest {

    @Test
    void copiesInAndOut() {
        byte[] source = {1, 2, 3};
        Bytes b = Bytes.of(source);
        source[0] = 9;
        byte[] out = b.toArray();
        out[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, b.toArray(), "neither the source nor a returned array changes the value");
        assertEquals(3, b.length());
    }

    @Test
    void equalByContent() {
        assertEquals(Bytes.of(new byte[] {1, 2}), Bytes.of(new byte[] {1, 2}));
        assertEquals(Bytes.of(new byte[] {1, 2}).hashCode(), Bytes.of(new byte[] {1, 2}).hashCode());
        assertNotEquals(Bytes.of(new byte[] {1, 2}), Bytes.of(new byte[] {2, 1}));
        assertEquals(Bytes.EMPTY, Bytes.of(new byte[0]));
    }

    @Test
    void printsLengthAndAHashPrefixNotTheContent() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        Bytes abc = Bytes.of("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("Bytes[3 bytes, sha256:ba7816bf…]", abc.toString());
        assertEquals("Image[mimeType=image/png, data=Bytes[3 bytes, sha256:ba7816bf…]]",
                new Content.Image("image/png", abc).toString());
    }

    @Test
    void base64InAndOut() {
        Bytes b = Bytes.fromBase64("AAH/");
        assertArrayEquals(new byte[] {0, 1, (byte) 255}, b.toArray());
        assertEquals("AAH/", b.base64());
        assertEquals("", Bytes.EMPTY.base64());
        assertThrows(IllegalArgumentException.class, () -> Bytes.fromBase64("not base64!"));
        assertEquals("AAE=", TranscribeRequest.of(Bytes.of(new byte[] {0, 1}), null).audioBase64());
    }

    @Test
    void contentBlocksAreValuesOverTheirBytes() {
        byte[] png = {(byte) 137, 80, 78, 71};
        Content.Image image = new Content.Image("image/png", png);
        png[0] = 0;
        assertEquals(new Content.Image("image/png", Bytes.of(new byte[] {(byte) 137, 80, 78, 71})), image);
        assertEquals(new Content.Pdf(new byte[] {37, 80}), new Content.Pdf(Bytes.of(new byte[] {37, 80})));
        assertNotEquals(new Content.Audio("audio/wav", new byte[] {1}), new Content.Audio("audio/mpeg", new byte[] {1}));
        assertEquals(image, QmtJson.content(QmtJson.toJson(image)));
    }
}
