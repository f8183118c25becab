/**
 * Every qmt4j provider as a LangChain4j model: {@link dev.qmt4j.langchain4j.QmtChatModel},
 * {@link dev.qmt4j.langchain4j.QmtStreamingChatModel} and
 * {@link dev.qmt4j.langchain4j.QmtEmbeddingModel}, over a {@link dev.qmt4j.host.ProviderHandle}.
 * What maps and how: docs/langchain4j.md.
 */
package dev.qmt4j.langchain4j;
