package dev.qmt4j.langchain4j;

import dev.langchain4j.model.chat.Capability;
import dev.qmt4j.host.ProviderHandle;
import dev.qmt4j.provider.ProviderPlugin;
import java.util.EnumSet;
import java.util.Set;

/** What a provider's plugin exports, in qmt4j's and in LangChain4j's terms. */
public final class QmtCapabilities {
    private QmtCapabilities() {
    }

    /** The qmt4j capabilities of the plugin version in service (chat, streaming, embeddings, ...). */
    public static Set<dev.qmt4j.provider.Capability> of(ProviderHandle handle) {
        Set<dev.qmt4j.provider.Capability> c = handle.with(ProviderPlugin::capabilities);
        return c.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(c));
    }

    /**
     * The LangChain4j chat capabilities: always empty today. LangChain4j 1.x defines one,
     * {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA}, and QueryMT plugins export nothing that says
     * they honour a JSON schema response format, so claiming it could make an AI service rely on a
     * format the plugin ignores. Without it, AI services ask for structured output in the prompt.
     */
    static Set<Capability> langChain4j(ProviderHandle handle) {
        return Set.of();
    }
}
