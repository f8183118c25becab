package dev.qmt4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** An AI service (LangChain4j's AiServices) over a plugin: its @Tool method is called and the result goes back to the model. */
class AiServicesTest extends WithTestProviders {
    interface Assistant {
        @SystemMessage("You look words up before answering.")
        String chat(String message);
    }

    static final class Dictionary {
        final List<String> calls = new ArrayList<>();

        @Tool("Looks a word up in the dictionary")
        String lookup(String input) {
            calls.add(input);
            return "definition of " + input;
        }
    }

    @Test
    void theToolIsCalledAndItsResultGoesBackToTheModel() {
        Dictionary dictionary = new Dictionary();
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(QmtChatModel.builder().registry(providers.registry).provider(TestProviders.OPENAI).build())
                .chatMemory(MessageWindowChatMemory.withMaxMessages(10))
                .tools(dictionary)
                .build();

        String answer = assistant.chat("wasm");

        assertEquals(List.of("wasm"), dictionary.calls);
        assertEquals("Tool result: definition of wasm", answer);
        List<OpenAiTestServer.RecordedRequest> sent = providers.server.requests();
        assertEquals(2, sent.size(), "the question, then the tool result");
        JsonNode first = QmtJson.parse(sent.get(0).bodyText());
        assertEquals("You look words up before answering.", first.at("/messages/0/content").stringValue());
        assertEquals("lookup", first.at("/tools/0/function/name").stringValue());
        JsonNode second = QmtJson.parse(sent.get(1).bodyText()).get("messages");
        assertEquals("tool", second.at("/3/role").stringValue());
        assertEquals("definition of wasm", second.at("/3/content").stringValue());
    }

    @Test
    void aStreamingAiServiceWorksToo() throws Exception {
        interface StreamingAssistant {
            dev.langchain4j.service.TokenStream chat(String message);
        }
        Dictionary dictionary = new Dictionary();
        StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
                .streamingChatModel(QmtStreamingChatModel.builder().registry(providers.registry).provider(TestProviders.OPENAI).build())
                .chatMemory(MessageWindowChatMemory.withMaxMessages(10))
                .tools(dictionary)
                .build();
        var done = new java.util.concurrent.CompletableFuture<String>();
        StringBuilder parts = new StringBuilder();
        assistant.chat("jvm").onPartialResponse(parts::append)
                .onCompleteResponse(r -> done.complete(r.aiMessage().text()))
                .onError(done::completeExceptionally)
                .start();
        assertEquals("Tool result: definition of jvm", done.get(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("Tool result: definition of jvm", parts.toString());
        assertEquals(List.of("jvm"), dictionary.calls);
    }
}
