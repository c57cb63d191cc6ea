package io.infercore.engine.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
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
import io.infercore.engine.ToolCall;
import io.infercore.engine.ToolCalls;
import io.infercore.engine.UpstreamErrors;
import io.infercore.engine.Usage;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.time.Duration;
import java.util.List;

/**
 * {@code /api/chat} through LangChain4j's {@link OllamaStreamingChatModel}: it builds the request
 * (messages, options, {@code think}, {@code format} from a raw JSON Schema) and reads the chunks
 * (content, {@code thinking}, {@code done_reason}, counts), and its callbacks are bridged into a
 * Mutiny emitter.
 *
 * <p>The wire is ours: the model gets a per-call {@link Transport}, LangChain4j's own HTTP SPI,
 * backed by {@link NdjsonCall}. LangChain4j 1.11's Ollama client cannot be used with its default
 * transport here because (checked in its bytecode) an {@code {"error": ...}} line inside the 200
 * stream is parsed as a chunk without a message and silently skipped, and the listener has no
 * end-of-body callback, so such a stream never completes; its cancel handle only exists once the
 * first token has arrived (nothing stops a request still waiting for it); and its request has no
 * {@code truncate} field. The transport adds {@code truncate}, and {@code tools} as declared, to
 * the body LangChain4j wrote.
 */
final class ChatStream {

    private ChatStream() {
    }

    static Multi<StreamEvent> open(NdjsonCalls calls, String baseUrl, GenerationRequest request, OllamaOptions options) {
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
            Transport transport = new Transport(calls, request, options.truncate(), emitter);
            emitter.onTermination(transport::cancel);
            OllamaStreamingChatModel model = new OllamaStreamingChatModel.OllamaStreamingChatModelBuilder()
                    .httpClientBuilder(transport)
                    .baseUrl(baseUrl)
                    .returnThinking(true)
                    .build();
            try {
                ChatRequest chat = ChatRequest.builder()
                        .messages(messages(request))
                        .parameters(parameters(request, options))
                        .build();
                model.chat(chat, new Handler(transport, emitter, baseUrl));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                emitter.fail(new InfercoreException(ErrorKind.INVALID_REQUEST, "the ollama chat request cannot be built: "
                        + e.getMessage(), "messages", null));
            }
        });
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

    /** LangChain4j's callbacks, onto the emitter: content and thinking deltas, then one Done. */
    private record Handler(Transport transport, MultiEmitter<? super StreamEvent> emitter, String baseUrl)
            implements StreamingChatResponseHandler {

        @Override
        public void onPartialResponse(String text) {
            emitter.emit(StreamEvent.Delta.text(text));
        }

        @Override
        public void onPartialThinking(PartialThinking thinking) {
            emitter.emit(new StreamEvent.Delta(null, thinking.text()));
        }

        /** Ollama sends each call whole in one chunk and reports done_reason "stop" after them. */
        @Override
        public void onCompleteResponse(ChatResponse response) {
            var usage = response.tokenUsage();
            List<ToolCall> toolCalls = ToolCalls.fromLangChain4j(response.aiMessage());
            if (!toolCalls.isEmpty()) {
                emitter.emit(StreamEvent.Delta.calls(toolCalls));
            }
            String finish = toolCalls.isEmpty() ? finishReason(response.finishReason()) : "tool_calls";
            emitter.emit(new StreamEvent.Done(finish, new Usage(
                    usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                    usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount())));
            transport.answered = true;
            emitter.complete();
        }

        @Override
        public void onError(Throwable error) {
            emitter.fail(UpstreamErrors.fromTransport(OllamaEngine.TYPE, baseUrl, error));
        }

        private static String finishReason(FinishReason reason) {
            if (reason == FinishReason.LENGTH) {
                return "length";
            }
            return reason == FinishReason.TOOL_EXECUTION ? "tool_calls" : "stop";
        }
    }

    /**
     * LangChain4j's HTTP SPI for exactly one chat call: hands each NDJSON line to LangChain4j's
     * listener as an event, and sends failures (status, error line, timeout, early end) straight
     * to the emitter.
     */
    private static final class Transport implements HttpClientBuilder, HttpClient, NdjsonCall.Sink {

        private final NdjsonCalls calls;
        private final String model;
        private final GenerationRequest generation;
        private final boolean truncate;
        private final MultiEmitter<? super StreamEvent> emitter;
        private volatile NdjsonCall call;
        private volatile boolean cancelled;
        private volatile boolean answered;
        private ServerSentEventListener listener;
        private ServerSentEventContext context;

        Transport(NdjsonCalls calls, GenerationRequest request, boolean truncate, MultiEmitter<? super StreamEvent> emitter) {
            this.calls = calls;
            this.model = request.model();
            this.generation = request;
            this.truncate = truncate;
            this.emitter = emitter;
        }

        @Override
        public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
            this.listener = listener;
            this.context = new ServerSentEventContext(new ServerSentEventParsingHandle() {
                @Override
                public void cancel() {
                    Transport.this.cancel();
                }

                @Override
                public boolean isCancelled() {
                    return cancelled;
                }
            });
            ObjectNode body = (ObjectNode) calls.readTree(request.body());
            body.put("truncate", truncate);
            if (generation.hasTools()) {
                body.set("tools", ToolCalls.toolsJson(generation.tools())); // as declared; same shape as OpenAI's
            }
            call = calls.start(model, request.url(), body.toString(), this);
            if (cancelled) {
                call.cancel();
            }
        }

        @Override
        public SuccessfulHttpResponse execute(HttpRequest request) {
            throw new UnsupportedOperationException("the ollama engine only streams /api/chat");
        }

        void cancel() {
            cancelled = true;
            NdjsonCall current = call;
            if (current != null) {
                current.cancel();
            }
        }

        @Override
        public void line(JsonNode chunk, String raw) {
            listener.onEvent(new ServerSentEvent(null, raw), context);
        }

        @Override
        public void failed(InfercoreException failure) {
            emitter.fail(failure);
        }

        @Override
        public void ended() {
            if (!answered) {
                // LangChain4j completes the emitter on the done line; reaching here means it did not.
                emitter.fail(new InfercoreException(ErrorKind.UPSTREAM_ERROR,
                        "ollama's final chat chunk could not be read for model '" + model + "'"));
            }
        }

        // LangChain4j configures timeouts through the builder; ours come from ollama.timeouts.
        @Override
        public Duration connectTimeout() {
            return null;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            return this;
        }

        @Override
        public Duration readTimeout() {
            return null;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            return this;
        }

        @Override
        public HttpClient build() {
            return this;
        }
    }
}
