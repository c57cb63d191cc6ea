package io.infercore.engine.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatRequestParameters;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.TokenLogprob;
import io.infercore.engine.ToolCall;
import io.infercore.engine.ToolCalls;
import io.infercore.engine.Usage;
import io.infercore.engine.http.EngineHttp;
import io.infercore.engine.http.Framing;
import io.infercore.engine.http.Lc4jHttpClient;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * {@code /api/chat} through LangChain4j's {@link OllamaStreamingChatModel}: it builds the request
 * (messages, options, {@code think}, {@code format} from a raw JSON Schema) and reads the chunks
 * (content, {@code thinking}, {@code done_reason}, counts), and its callbacks are bridged into a
 * Mutiny emitter.
 *
 * <p>The wire is ours: the model gets a per-call {@link Lc4jHttpClient}, LangChain4j's own HTTP
 * SPI on the one transport, which hands each NDJSON line to LangChain4j unparsed (LangChain4j
 * parses it once). LangChain4j 1.11's Ollama client cannot be used with its default
 * transport here because (checked in its bytecode) an {@code {"error": ...}} line inside the 200
 * stream is parsed as a chunk without a message and silently skipped, and the listener has no
 * end-of-body callback, so such a stream never completes; its cancel handle only exists once the
 * first token has arrived (nothing stops a request still waiting for it); and its request has no
 * {@code truncate} field. {@code truncate}, and {@code tools} as declared, are added to the body
 * LangChain4j wrote.
 */
final class ChatStream {

    private ChatStream() {
    }

    static Multi<StreamEvent> open(EngineHttp http, ObjectMapper mapper, GenerationRequest request, OllamaOptions options) {
        if (request.hasTools() && !request.toolChoice().isAuto()) {
            return Multi.createFrom().failure(new InfercoreException(ErrorKind.UNSUPPORTED, "Ollama lets the model "
                    + "decide whether to call a tool: tool_choice '" + (request.toolChoice().function() != null
                    ? request.toolChoice().function() : request.toolChoice().mode()) + "' cannot be honoured; "
                    + "use auto (the default), or vllm/sglang", "tool_choice", null));
        }
        if (request.hasTools() && !request.toolChoice().parallel()) {
            return Multi.createFrom().failure(new InfercoreException(ErrorKind.UNSUPPORTED, "Ollama cannot be told to "
                    + "make at most one tool call: parallel_tool_calls false cannot be honoured; leave it out, or use "
                    + "vllm/sglang or llamacpp", "parallel_tool_calls", null));
        }
        return Multi.createFrom().emitter(emitter -> {
            Lc4jHttpClient.Call call = new Lc4jHttpClient.Call();
            emitter.onTermination(call::cancel);
            AtomicBoolean answered = new AtomicBoolean();
            Logprobs logprobs = new Logprobs(mapper, request.logprobs());
            Lc4jHttpClient client = new Lc4jHttpClient(http, Framing.NDJSON_GENERATION, request.model(), call,
                    body -> withOurFields(mapper, body, request, options.truncate()),
                    request.logprobs() == null ? UnaryOperator.identity() : logprobs::keep);
            client.afterClose(() -> {
                if (!answered.get()) {
                    // LangChain4j completes the emitter on the done line; reaching here means it did not.
                    emitter.fail(new InfercoreException(ErrorKind.UPSTREAM_ERROR,
                            "ollama's final chat chunk could not be read for model '" + request.model() + "'"));
                }
            });
            OllamaStreamingChatModel model = new OllamaStreamingChatModel.OllamaStreamingChatModelBuilder()
                    .httpClientBuilder(client.builder())
                    .baseUrl(http.endpoint().baseUrl())
                    .returnThinking(true)
                    .build();
            try {
                ChatRequest chat = ChatRequest.builder()
                        .messages(messages(request))
                        .parameters(parameters(request, options))
                        .build();
                model.chat(chat, new Handler(answered, emitter, http, logprobs));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                emitter.fail(new InfercoreException(ErrorKind.INVALID_REQUEST, "the ollama chat request cannot be built: "
                        + e.getMessage(), "messages", null));
            }
        });
    }

    /** The body LangChain4j wrote, with {@code truncate} and the tools as declared (same shape as OpenAI's). */
    private static String withOurFields(ObjectMapper mapper, String body, GenerationRequest request, boolean truncate) {
        try {
            ObjectNode node = (ObjectNode) mapper.readTree(body);
            node.put("truncate", truncate);
            OllamaLogprobs.ask(node, request.logprobs());
            if (request.hasTools()) {
                node.set("tools", ToolCalls.toolsJson(request.tools()));
            }
            return node.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("LangChain4j wrote a chat body that is not JSON", e);
        }
    }

    private static OllamaChatRequestParameters parameters(GenerationRequest request, OllamaOptions o) {
        OllamaChatRequestParameters.Builder p = OllamaChatRequestParameters.builder()
                .modelName(request.model())
                .maxOutputTokens(o.numPredict()).temperature(o.temperature()).topP(o.topP()).topK(o.topK())
                .stopSequences(o.stop()).seed(o.seed()).minP(o.minP()).repeatPenalty(o.repeatPenalty())
                .repeatLastN(o.repeatLastN()).numCtx(o.numCtx()).mirostat(o.mirostat()).mirostatEta(o.mirostatEta())
                .mirostatTau(o.mirostatTau()).keepAlive(o.keepAlive()).think(request.thinking());
        if (request.jsonSchema() != null) {
            p.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
                    .jsonSchema(JsonSchema.builder().name("output")
                            .rootElement(JsonRawSchema.from(request.jsonSchema().toString())).build())
                    .build());
        }
        return p.build();
    }

    /**
     * LangChain4j refuses blank system and user texts, so such turns are left out (they carry no
     * text; the validator guarantees some message does).
     */
    private static List<dev.langchain4j.data.message.ChatMessage> messages(GenerationRequest request) {
        List<ChatMessage> kept = request.messages().stream()
                .filter(m -> m.content() == null || !m.content().isBlank()
                        || !(m.role().equals("system") || m.role().equals("user")))
                .toList();
        return ToolCalls.toLangChain4j(kept, m -> switch (m.role()) {
            case "system" -> SystemMessage.from(m.content());
            case "assistant" -> AiMessage.from(m.content());
            default -> UserMessage.from(m.content());
        });
    }

    /**
     * The log-probabilities of the line LangChain4j is about to read (it has no field for them): each
     * line passes through {@link #keep} just before LangChain4j parses it and calls the handler on the
     * same thread, so the handler's next content delta takes them; tokens of a line without content
     * wait for the next delta, or go out on their own before the Done.
     */
    private static final class Logprobs {
        private final ObjectMapper mapper;
        private final Integer top;
        private final List<TokenLogprob> pending = new ArrayList<>();

        Logprobs(ObjectMapper mapper, Integer top) {
            this.mapper = mapper;
            this.top = top;
        }

        synchronized String keep(String line) {
            try {
                pending.addAll(OllamaLogprobs.read(mapper.readTree(line).get("logprobs"), top));
            } catch (JsonProcessingException e) {
                // not JSON: LangChain4j's reading of the same line reports it
            }
            return line;
        }

        synchronized List<TokenLogprob> take() {
            List<TokenLogprob> taken = List.copyOf(pending);
            pending.clear();
            return taken;
        }
    }

    /** LangChain4j's callbacks, onto the emitter: content and thinking deltas, then one Done. */
    private record Handler(AtomicBoolean answered, MultiEmitter<? super StreamEvent> emitter, EngineHttp http,
                           Logprobs logprobs) implements StreamingChatResponseHandler {

        @Override
        public void onPartialResponse(String text) {
            emitter.emit(new StreamEvent.Delta(text, null, null, logprobs.take()));
        }

        @Override
        public void onPartialThinking(PartialThinking thinking) {
            emitter.emit(new StreamEvent.Delta(null, thinking.text()));
        }

        /** Ollama sends each call whole in one chunk and reports done_reason "stop" after them. */
        @Override
        public void onCompleteResponse(ChatResponse response) {
            var usage = response.tokenUsage();
            List<TokenLogprob> left = logprobs.take();
            if (!left.isEmpty()) {
                emitter.emit(new StreamEvent.Delta(null, null, null, left));
            }
            List<ToolCall> toolCalls = ToolCalls.fromLangChain4j(response.aiMessage());
            if (!toolCalls.isEmpty()) {
                emitter.emit(StreamEvent.Delta.calls(toolCalls));
            }
            String finish = toolCalls.isEmpty() ? finishReason(response.finishReason()) : "tool_calls";
            emitter.emit(new StreamEvent.Done(finish, new Usage(
                    usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                    usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount())));
            answered.set(true);
            emitter.complete();
        }

        @Override
        public void onError(Throwable error) {
            emitter.fail(http.transportError(error));
        }

        private static String finishReason(FinishReason reason) {
            if (reason == FinishReason.LENGTH) {
                return "length";
            }
            return reason == FinishReason.TOOL_EXECUTION ? "tool_calls" : "stop";
        }
    }
}
