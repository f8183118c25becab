package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.ProviderBuilder;
import dev.qmt4j.host.ProviderHandle;
import dev.qmt4j.provider.Capability;
import dev.qmt4j.provider.model.ChatMessage;
import dev.qmt4j.provider.model.QmtJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code qmt4j chat PROVIDER [PROMPT]}: one chat turn with a configured provider. The reply is
 * streamed to stdout as the {@code text} of each chunk arrives; a provider without streaming, one whose
 * {@code supports_streaming} says no for its config (said on stderr with {@code -v}), or
 * {@code --no-stream}, prints the whole reply at once. Without PROMPT the prompt is read from stdin.
 * The request is QueryMT's wire format, written by the typed model ({@link ChatMessage}, role
 * {@code "User"}, content blocks), never by hand.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a configured provider; the reply is streamed to stdout.")
final class ChatCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Mixin
    PlatformOption platform;

    @Parameters(index = "0", paramLabel = "PROVIDER[:MODEL]",
            description = "A provider name from the config, optionally with the model (openai:gpt-4o-mini), as qmt takes it.")
    String provider;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PROMPT", description = "The prompt (default: read stdin).")
    String prompt;

    @Option(names = "--model", paramLabel = "M", description = "The model (overrides the config's).")
    String model;

    @Option(names = {"-s", "--system"}, paramLabel = "S",
            description = "A system prompt; repeat it for a multi-part prompt, as with qmt (config key system).")
    List<String> system = new ArrayList<>();

    @Option(names = "--no-stream", description = "Wait for the whole reply instead of streaming it.")
    boolean noStream;

    /** QueryMT's portable reasoning levels ({@code ReasoningEffort}, serialised in lower case). */
    enum ReasoningEffort { low, medium, high, max }

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (config key temperature).")
    Float temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling (config key top_p).")
    Float topP;

    @Option(names = "--top-k", paramLabel = "K", description = "Top-k sampling (config key top_k).")
    Integer topK;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Maximum tokens in the reply (config key max_tokens).")
    Integer maxTokens;

    @Option(names = "--reasoning-effort", paramLabel = "LEVEL",
            description = "Reasoning effort: ${COMPLETION-CANDIDATES} (config key reasoning_effort).")
    ReasoningEffort reasoningEffort;

    @Mixin
    ProviderConfigOptions providerOptions;

    @Override
    public Integer call() throws IOException {
        CliContext context = root.context;
        String text = prompt != null ? prompt : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new Qmt4jException(ErrorKind.USAGE, "empty prompt", "give PROMPT or pipe it to stdin");
        }
        JsonNode messages = QmtJson.messages(List.of(ChatMessage.user(text)));
        PrintStream out = context.out();
        try (PluginRegistry registry = HostAccess.open(context)) {
            ProviderConfigOptions.ProviderArg arg = ProviderConfigOptions.ProviderArg.of(provider, model, registry);
            ProviderBuilder b = registry.builder(arg.name());
            if (arg.model() != null) {
                b.model(arg.model());
            }
            system.forEach(b::system);
            sampling(b);
            providerOptions.applyTo(b);
            ProviderHandle h = b.build();
            boolean stream = !noStream && h.with(p -> p.capabilities().contains(Capability.CHAT_STREAM));
            if (stream && !h.supportsStreaming()) {
                stream = false;
                if (context.verbose()) {
                    context.err().println("chat: provider '" + arg.name() + "' does not stream with this config"
                            + " (its supports_streaming is false); waiting for the whole reply");
                }
            }
            if (stream) {
                h.chatStream(messages, null, chunk -> {
                    JsonNode t = chunk.get("text");
                    if (t != null && t.isString()) {
                        out.print(t.stringValue());
                        out.flush();
                    }
                });
                out.println();
            } else {
                JsonNode reply = h.chat(messages, null);
                JsonNode t = reply == null ? null : reply.get("text");
                out.println(t != null && t.isString() ? t.stringValue() : String.valueOf(reply));
            }
        }
        return 0;
    }

    /** The sampling flags as the config keys QueryMT's {@code LLMBuilder} writes (u32 and f32 there: no negatives). */
    private void sampling(ProviderBuilder b) {
        if (temperature != null) {
            b.parameter("temperature", temperature);
        }
        if (topP != null) {
            b.parameter("top_p", topP);
        }
        if (topK != null) {
            b.parameter("top_k", nonNegative("--top-k", topK));
        }
        if (maxTokens != null) {
            b.parameter("max_tokens", nonNegative("--max-tokens", maxTokens));
        }
        if (reasoningEffort != null) {
            b.parameter("reasoning_effort", reasoningEffort.name());
        }
    }

    private static int nonNegative(String flag, int v) {
        if (v < 0) {
            throw new Qmt4jException(ErrorKind.USAGE, flag + " must not be negative, got " + v, null);
        }
        return v;
    }
}
