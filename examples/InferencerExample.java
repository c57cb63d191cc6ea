import io.infercore.engine.ChatMessage;
import io.infercore.engine.SamplingParams;
import io.infercore.error.InfercoreException;
import io.infercore.inference.StructuredResult;
import io.infercore.sdk.Inferencer;

import java.util.List;
import java.util.Map;

/**
 * The Java API, end to end: see README, "Java API". Arguments: [engine [model]]; without them the
 * embedded engine and its default model answer. Configuration comes from -D properties,
 * config.json, config/application.properties and the environment, as for the service.
 */
public class InferencerExample {

    public static void main(String[] args) {
        int code = 0;
        try {
            run(args);
        } catch (InfercoreException e) {          // every failure names its kind and the fix
            System.err.println("infercore: " + e.kind() + ": " + e.getMessage());
            code = 1;
        }
        // java-llama.cpp keeps a non-daemon native thread once a model was loaded (kherud/java-llama.cpp#116)
        System.exit(code);
    }

    static void run(String[] args) {
        Inferencer.Builder builder = Inferencer.builder().maxTokens(48).temperature(0);
        if (args.length > 0) {
            builder.engine(args[0]);          // e.g. "ollama"
        }
        if (args.length > 1) {
            builder.model(args[1]);           // e.g. "llama3.2"
        }
        try (Inferencer llm = builder.build()) {
            System.out.println("generate: " + llm.generate("Tell me about Beijing.", 32));

            List<ChatMessage> messages = List.of(
                    new ChatMessage("user", "My name is Zhang San."),
                    new ChatMessage("assistant", "Hello Zhang San!"),
                    new ChatMessage("user", "What is my name?"));
            System.out.println("chat: " + llm.chat(messages, 32));

            System.out.print("stream: ");
            for (String piece : llm.stream("Once upon a time").subscribe().asIterable()) {
                System.out.print(piece);
            }
            System.out.println();

            StructuredResult city = llm.structuredGenerate("Return a city and its population as JSON.",
                    Map.of("city", "string", "population", "number"));
            System.out.println("structured: " + city.json() + " valid=" + city.valid());

            System.out.println("embed: " + llm.embed("hello world").length + " dimensions");

            try {
                llm.generate("Hi", new SamplingParams(null, 3.0, null, null, null));
            } catch (InfercoreException e) {
                System.out.println("error: " + e.kind() + " (" + e.param() + "): " + e.getMessage());
            }
        }
    }
}
