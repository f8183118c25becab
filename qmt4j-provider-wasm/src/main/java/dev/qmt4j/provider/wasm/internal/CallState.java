package dev.qmt4j.provider.wasm.internal;

import dev.qmt4j.provider.NetworkPolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Per-call state handed to the qmt_* host functions as the Extism call's host context: the network
 * policy of the provider config in use, the stream consumer for {@code qmt_yield_chunk}, and the
 * HTTP streams the guest opened (closed when the call ends). Used by one call on one thread.
 */
public final class CallState implements AutoCloseable {
    private final NetworkPolicy policy;
    private final Consumer<JsonNode> consumer;
    private final Map<Long, SafeHttp.Opened> streams = new HashMap<>();
    private long nextStreamId = 1;
    private boolean cancelled;
    private RuntimeException consumerFailure;
    private int chunks;

    public CallState(NetworkPolicy policy, Consumer<JsonNode> consumer) {
        this.policy = policy;
        this.consumer = consumer;
    }

    /** A state that allows no network and has no consumer (for metadata calls). */
    public static CallState offline() {
        return new CallState(NetworkPolicy.denyAll(), null);
    }

    public NetworkPolicy policy() {
        return policy;
    }

    long addStream(SafeHttp.Opened o) {
        long id = nextStreamId++;
        streams.put(id, o);
        return id;
    }

    SafeHttp.Opened stream(long id) {
        return streams.get(id);
    }

    void closeStream(long id) {
        SafeHttp.Opened o = streams.remove(id);
        if (o != null) o.close();
    }

    /** Whether the consumer stopped the stream (it threw); HTTP host functions then answer "cancelled". */
    public boolean cancelled() {
        return cancelled;
    }

    /** What the consumer threw, if it did. */
    public RuntimeException consumerFailure() {
        return consumerFailure;
    }

    /** How many chunks were delivered. */
    public int chunks() {
        return chunks;
    }

    void yieldChunk(JsonNode chunk) {
        if (consumer == null || cancelled) return;
        try {
            chunks++;
            consumer.accept(chunk);
        } catch (RuntimeException e) {
            cancelled = true;
            consumerFailure = e;
        }
    }

    /** Closes every stream the guest left open. */
    @Override
    public void close() {
        streams.values().forEach(SafeHttp.Opened::close);
        streams.clear();
    }
}
