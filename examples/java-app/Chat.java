import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LoadResult;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.ProviderHandle;
import dev.qmt4j.provider.model.ChatMessage;
import dev.qmt4j.provider.model.StreamChunk;
import java.nio.file.Path;
import java.util.List;

/**
 * The smallest qmt4j-host application: load the providers of a QueryMT-style config and stream a
 * chat through one of them. Usage: java -cp CLASSPATH Chat.java CONFIG PROVIDER MODEL PROMPT
 *
 * <p>Providers that fail to load are listed on stderr (the others still work). A failure of the
 * chosen provider prints {@code error:} and {@code hint:} lines and exits with the error kind's code
 * (the same codes as the qmt4j CLI, docs/exit-codes.md).
 */
public class Chat {
    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: Chat.java CONFIG PROVIDER MODEL PROMPT");
            System.exit(2);
        }
        try (PluginRegistry registry = PluginRegistry.fromPath(Path.of(args[0]))) {
            for (LoadResult r : registry.loadAll()) {
                if (r instanceof LoadResult.Failed f) {
                    // The message names the provider (and its config file) already.
                    System.err.println("not loaded: " + f.error().getMessage());
                }
            }
            ProviderHandle provider = registry.builder(args[1]).model(args[2]).build();
            // The typed model writes QueryMT's wire format ({"role":"User","content":[{"type":"text",...}]});
            // ProviderHandle also takes that JSON as is.
            List<ChatMessage> messages = List.of(ChatMessage.user(args[3]));
            provider.chatStream(messages, null, chunk -> {
                if (chunk instanceof StreamChunk.Text t) {
                    System.out.print(t.text());
                    System.out.flush();
                }
            });
            System.out.println();
        } catch (Qmt4jException e) {
            // Every qmt4j error says what failed and, usually, what to do: no stack trace needed.
            System.err.println("error: " + e.getMessage());
            if (e.hint() != null) {
                System.err.println("hint: " + e.hint());
            }
            System.exit(e.kind().exitCode());
        }
    }
}
