package dev.qmt4j.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The streaming reader and writer of the cache's JSON records: the same format as before, read as strictly. */
class CacheJsonTest {
    private static final String LAYER = "sha256:71abd3113d91e90c3ad6c5c561e756d72bccbca8ced0666cb82c5fbf76d72ece";
    private static final String TOP = "sha256:2c604d78102927dcc5cc127bc79bc437c0c02a63d58a3152e47b46a019f8549c";

    /** Exactly what the databind-based writer produced (existing caches must stay readable). */
    private static final String OLD_REF = "{\n  \"reference\" : \"oci://ghcr.io/a/b:1\",\n  \"digest\" : \"" + TOP + "\",\n"
            + "  \"mediaType\" : \"application/vnd.oci.image.manifest.v1+json\",\n"
            + "  \"resolvedAt\" : \"2026-11-28T06:56:10.963119708Z\",\n  \"layer\" : \"" + LAYER + "\",\n"
            + "  \"type\" : \"wasm\"\n}";
    private static final String OLD_ENTRY = "{\n  \"type\" : \"wasm\",\n  \"layer\" : \"" + LAYER + "\",\n"
            + "  \"pluginFile\" : \"plugin.wasm\",\n  \"size\" : 2764,\n  \"files\" : {\n    \"plugin.wasm\" : \"" + LAYER + "\"\n  },\n"
            + "  \"links\" : { },\n  \"stamps\" : {\n    \"plugin.wasm\" : {\n      \"size\" : 2764,\n"
            + "      \"mtime\" : 1764312970963119708,\n      \"ctime\" : 1764312970963119709,\n      \"key\" : \"(dev=803,ino=42)\"\n"
            + "    }\n  }\n}";

    @Test
    void recordsWrittenByTheDatabindWriterAreReadAndWrittenBackTheSame() {
        RefRecord r = CacheJson.readRef(bytes(OLD_REF));
        assertEquals("oci://ghcr.io/a/b:1", r.reference());
        assertEquals(Digest.parse(TOP), r.digest());
        assertEquals(Optional.of(new EntryKey(Digest.parse(LAYER), Optional.empty())), r.entry());
        assertEquals(Optional.of(PluginType.WASM), r.type());
        assertEquals(Optional.empty(), r.selection());
        assertEquals(OLD_REF, new String(CacheJson.write(r), StandardCharsets.UTF_8));

        CacheJson.Stored s = CacheJson.readStored(bytes(OLD_ENTRY));
        assertEquals(2764, s.contents().size());
        assertEquals(Map.of("plugin.wasm", LAYER), s.contents().files());
        assertEquals(Map.of("plugin.wasm", new FileStamp(2764, 1764312970963119708L, 1764312970963119709L, "(dev=803,ino=42)")),
                s.stamps());
        assertEquals(OLD_ENTRY, new String(CacheJson.write(s.contents(), s.stamps()), StandardCharsets.UTF_8));
    }

    @Test
    void aSelectionRoundTrips() {
        Selection sel = new Selection(Platform.parse("linux/amd64"), true, PluginType.NATIVE, Digest.parse(TOP),
                Digest.parse(LAYER), Optional.of(Platform.parse("linux/arm64/v8")));
        RefRecord r = new RefRecord("oci://x/y:1", Digest.parse(TOP), null, Instant.parse("2026-01-01T00:00:00Z"),
                Optional.empty(), Optional.empty(), Optional.of(sel));
        RefRecord back = CacheJson.readRef(CacheJson.write(r));
        assertEquals(r, back);
    }

    @Test
    void malformedRecordsAreRejectedAsBefore() {
        for (String bad : new String[] {"", "[]", "42", "{", "{\"reference\": \"a\"}", OLD_REF + " {}",
                OLD_REF.replace("\"type\" : \"wasm\"", "\"type\" : \"elf\""),
                OLD_REF.replace("\"resolvedAt\" : \"2026-11-28T06:56:10.963119708Z\"", "\"resolvedAt\" : null"),
                OLD_REF.replace(TOP, "sha256:nothex")}) {
            assertThrows(IllegalArgumentException.class, () -> CacheJson.readRef(bytes(bad)), bad);
        }
        for (String bad : new String[] {"", "{}", "[1]", OLD_ENTRY + "x", OLD_ENTRY.replace("\"wasm\"", "\"elf\""),
                OLD_ENTRY.replace("\"pluginFile\" : \"plugin.wasm\",", "")}) {
            assertThrows(IllegalArgumentException.class, () -> CacheJson.readStored(bytes(bad)), bad);
        }
    }

    @Test
    void unknownFieldsAreIgnoredAndMalformedStampsDropped() {
        RefRecord r = CacheJson.readRef(bytes(OLD_REF.replace("{\n", "{\n  \"future\" : {\"a\" : [1, 2.5, true, null]},\n")));
        assertEquals("oci://ghcr.io/a/b:1", r.reference());
        CacheJson.Stored s = CacheJson.readStored(bytes(OLD_ENTRY.replace("\"key\" : \"(dev=803,ino=42)\"", "\"key\" : 5")));
        assertTrue(s.stamps().isEmpty());
        assertEquals(Map.of("plugin.wasm", LAYER), s.contents().files());
    }

    @Test
    void aMalformedSelectionIsDroppedAndTheRecordKept() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("not an object", "\"selection\" : [1]");
        cases.put("bad platform", "\"selection\" : {\"for\" : \"linux\", \"explicit\" : false, \"type\" : \"wasm\","
                + " \"manifest\" : \"" + TOP + "\", \"layer\" : \"" + LAYER + "\"}");
        cases.put("missing layer", "\"selection\" : {\"for\" : \"linux/amd64\", \"explicit\" : false, \"type\" : \"wasm\","
                + " \"manifest\" : \"" + TOP + "\"}");
        cases.put("numeric type", "\"selection\" : {\"for\" : \"linux/amd64\", \"explicit\" : false, \"type\" : 1,"
                + " \"manifest\" : \"" + TOP + "\", \"layer\" : \"" + LAYER + "\"}");
        cases.forEach((what, json) -> {
            RefRecord r = CacheJson.readRef(bytes(OLD_REF.replace("\"type\" : \"wasm\"\n}", "\"type\" : \"wasm\",\n  " + json + "\n}")));
            assertEquals(Optional.empty(), r.selection(), what);
            assertEquals(Digest.parse(TOP), r.digest(), what);
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
