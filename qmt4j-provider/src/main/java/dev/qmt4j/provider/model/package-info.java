/**
 * Java records for QueryMT's provider JSON ({@code ChatMessage}, {@code Tool}, {@code ToolCall},
 * {@code Usage}, {@code StreamChunk}, {@code CompletionRequest}...), one type per serde type, and
 * {@link dev.qmt4j.provider.model.QmtJson}, the codec between them and Jackson trees.
 *
 * <p>Field names, casing, enum tags and the "omitted when null" rules follow QueryMT's serde
 * attributes (crates/querymt/src: chat, completion, plugin/extism_impl/interface.rs). Where a
 * QueryMT enum carries data (message content, stream chunks, voice configs) the Java type is a
 * sealed interface with one record per variant. Nullable record components are the ones serde
 * declares as {@code Option}.
 *
 * <p>Messages use the {@code {"role","content":[...]}} form with typed content blocks, which is
 * what Wasm plugins read; QueryMT's newer in-process {@code input}/{@code output} message payloads
 * are not modelled.
 */
package dev.qmt4j.provider.model;
