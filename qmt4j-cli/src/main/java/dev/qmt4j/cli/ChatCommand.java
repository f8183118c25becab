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

    @Parameters(index = "0", paramLabel = "PROVIDER", description = "A provider name from the config.")
    String provider;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PROMPT", description = "The prompt (default: read stdin).")
    String prompt;

    @Option(names = "--model", paramLabel = "M", description = "The model (overrides the config's).")
    String model;

    @Option(names = "--system", paramLabel = "S", description = "A system prompt.")
    String system;

    @Option(names = "--no-stream", description = "Wait for the whole reply instead of streaming it.")
    boolean noStream;

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
            ProviderBuilder b = registry.builder(provider);
            if (model != null) {
                b.model(model);
            }
            if (system != null) {
                b.system(system);
            }
            ProviderHandle h = b.build();
            boolean stream = !noStream && h.with(p -> p.capabilities().contains(Capability.CHAT_STREAM));
            if (stream && !h.supportsStreaming()) {
                stream = false;
                if (context.verbose()) {
                    context.err().println("chat: provider '" + provider + "' does not stream with this config"
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
}
