import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.service.AiServices;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.langchain4j.QmtChatModel;
import java.nio.file.Path;

/**
 * The smallest LangChain4j AI service over a qmt4j provider: LangChain4j implements the
 * {@link Helper} interface, qmt4j runs the QueryMT plugin behind it (pulled, verified, sandboxed).
 * Usage: java -cp CLASSPATH Assistant.java CONFIG PROVIDER PROMPT
 *
 * <p>A failure prints {@code error:} and {@code hint:} lines and exits with the error kind's code
 * (the qmt4j CLI's codes, docs/exit-codes.md), without a stack trace.
 */
public class Assistant {
    /** The AI service: one method, one chat turn. */
    interface Helper {
        String chat(String message);
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: Assistant.java CONFIG PROVIDER PROMPT");
            System.exit(2);
        }
        try (PluginRegistry registry = PluginRegistry.fromPath(Path.of(args[0]))) {
            Helper helper = AiServices.create(Helper.class,
                    QmtChatModel.builder().registry(registry).provider(args[1]).build());
            System.out.println(helper.chat(args[2]));
        } catch (Qmt4jException e) {
            exit(e);
        } catch (LangChain4jException e) {
            // A provider call failed: LangChain4j's exception type, qmt4j's error as the cause.
            if (e.getCause() instanceof Qmt4jException q) {
                exit(q);
            }
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void exit(Qmt4jException e) {
        System.err.println("error: " + e.getMessage());
        if (e.hint() != null) {
            System.err.println("hint: " + e.hint());
        }
        System.exit(e.kind().exitCode());
    }
}
