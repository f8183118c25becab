import dev.qmt4j.host.LoadResult;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.ProviderHandle;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The smallest qmt4j-host application: load the providers of a QueryMT-style config and stream a
 * chat through one of them. Usage: java -cp CLASSPATH Chat.java CONFIG PROVIDER MODEL PROMPT
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
                    System.err.println(f.name() + ": " + f.error().getMessage());
                }
            }
            ProviderHandle provider = registry.builder(args[1]).model(args[2]).build();
            JsonMapper json = JsonMapper.builder().build();
            ArrayNode messages = json.createArrayNode();
            messages.addObject().put("role", "user").put("content", args[3]);
            provider.chatStream(messages, null, chunk -> {
                if (chunk.has("text")) {
                    System.out.print(chunk.get("text").stringValue());
                    System.out.flush();
                }
            });
            System.out.println();
        }
    }
}
