package io.infercore.engine.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openai.internal.OpenAiUtils;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.SamplingParams;
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
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code /v1/chat/completions} through LangChain4j: streamed with its {@link OpenAiStreamingChatModel}
 * over {@link Lc4jHttpClient} (a model object per call, so that each call has its own cancel
 * switch; the transport is shared), which hands each SSE payload to LangChain4j unparsed, and non-streamed with the request and answer mapping of its
 * {@link OpenAiChatModel} over the asynchronous client (see {@link #generate}). Engine-specific fields
 * ({@code response_format}, {@code chat_template_kwargs}, {@code top_k}, ...) travel as
 * LangChain4j custom parameters, verbatim; reasoning comes back apart from the text.
 */
public final class OpenAiChat {

    /** LangChain4j's OpenAI wire classes carry their own Jackson annotations; this is how LangChain4j reads them. */
    private static final ObjectMapper LANGCHAIN4J_JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES);

    private final EngineHttp http;

    public OpenAiChat(EngineHttp http) {
        this.http = http;
    }

    /** Streams one chat; {@code extras} are added to the request body as they are. */
    public Multi<StreamEvent> stream(GenerationRequest request, Map<String, Object> extras) {
        return Multi.createFrom().emitter(emitter -> {
            Lc4jHttpClient.Call call = new Lc4jHttpClient.Call();
            emitter.onTermination(call::cancel);
            // LangChain4j drops logprobs: they are read off each chunk first, and handed over with its text.
            List<TokenLogprob> pending = new java.util.ArrayList<>();
            if (request.logprobs() != null) {
                call.tap(payload -> pending.addAll(UpstreamLogprobs.fromChat(readTree(payload).path("choices").path(0)
                        .get("logprobs"), request.logprobs())));
            }
            OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                    .httpClientBuilder(new Lc4jHttpClient(http, Framing.SSE, request.model(), call,
                            UnaryOperator.identity(), OpenAiChat::renameReasoning).builder())
                    .baseUrl(http.endpoint().baseUrl() + "/v1")
                    .modelName(request.model())
                    .returnThinking(true)
                    .build();
            model.chat(chatRequest(request, extras), new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String text) {
                    emitter.emit(new StreamEvent.Delta(text, null, null, drain(pending)));
                }

                /** Reasoning tokens have no place in OpenAI's {@code logprobs.content}: theirs are dropped. */
                @Override
                public void onPartialThinking(PartialThinking thinking) {
                    pending.clear();
                    emitter.emit(new StreamEvent.Delta(null, thinking.text()));
                }

                /** Tool calls arrive whole, once the engine's fragments are joined (see {@link StreamEvent.Delta}). */
                @Override
                public void onCompleteResponse(ChatResponse response) {
                    List<ToolCall> calls = ToolCalls.fromLangChain4j(response.aiMessage());
                    if (!pending.isEmpty()) {
                        emitter.emit(new StreamEvent.Delta(null, null, null, drain(pending)));
                    }
                    if (!calls.isEmpty()) {
                        emitter.emit(StreamEvent.Delta.calls(calls));
                    }
                    emitter.emit(new StreamEvent.Done(finishReason(response.finishReason(), calls),
                            usage(response.tokenUsage())));
                    emitter.complete();
                }

                @Override
                public void onError(Throwable error) {
                    emitter.fail(http.transportError(error));
                }
            });
        });
    }

    /**
     * One complete chat, without blocking a thread: LangChain4j builds the request body
     * ({@code OpenAiUtils.toOpenAiChatRequest}, what {@link OpenAiChatModel} sends) and reads the
     * answer ({@code aiMessageFrom}), while the call itself goes through {@link EngineHttp}'s
     * asynchronous client. {@code OpenAiChatModel.chat} would park a worker thread per call and
     * cost a model build per request, which is what limited the non-streaming path (docs/BENCHMARKS.md).
     */
    public Uni<GenerationResult> generate(GenerationRequest request, Map<String, Object> extras) {
        String body;
        try {
            ChatRequest chat = chatRequest(request, extras);
            body = LANGCHAIN4J_JSON.writeValueAsString(OpenAiUtils.toOpenAiChatRequest(chat,
                    (OpenAiChatRequestParameters) chat.parameters(), false, false).stream(false).build());
        } catch (JsonProcessingException | RuntimeException e) {
            return Uni.createFrom().failure(e instanceof InfercoreException ie ? ie : InfercoreException.invalid(
                    "messages", "the chat request cannot be built: " + e.getMessage()));
        }
        return http.postRaw("/v1/chat/completions", body, request.model())
                .map(text -> {
                    ChatCompletionResponse response = read(text);
                    AiMessage message = OpenAiUtils.aiMessageFrom(response, true);
                    String thinking = message.thinking() == null || message.thinking().isEmpty() ? null : message.thinking();
                    List<ToolCall> calls = ToolCalls.fromLangChain4j(message);
                    String finish = response.choices() == null || response.choices().isEmpty() ? null
                            : response.choices().get(0).finishReason();
                    return new GenerationResult(message.text() == null ? "" : message.text(), thinking,
                            finishReason(OpenAiUtils.finishReasonFrom(finish), calls),
                            usage(OpenAiUtils.tokenUsageFrom(response.usage())), calls, logprobs(request, text));
                })
                .onFailure(t -> !(t instanceof InfercoreException)).transform(http::transportError);
    }

    private static List<TokenLogprob> drain(List<TokenLogprob> pending) {
        List<TokenLogprob> taken = List.copyOf(pending);
        pending.clear();
        return taken;
    }

    /** The first choice's log-probabilities, read from the raw answer (LangChain4j's classes have no place for them). */
    private static List<TokenLogprob> logprobs(GenerationRequest request, String answer) {
        if (request.logprobs() == null) {
            return null;
        }
        return UpstreamLogprobs.fromChat(readTree(answer).path("choices").path(0).get("logprobs"),
                request.logprobs());
    }

    /** The answer, with vLLM's newer {@code reasoning} field where LangChain4j looks for it. */
    private ChatCompletionResponse read(String text) {
        if (!text.contains("\"reasoning\"")) {
            // the common answer: read once, straight into LangChain4j's class (no tree to normalize)
            try {
                ChatCompletionResponse direct = LANGCHAIN4J_JSON.readValue(text, ChatCompletionResponse.class);
                if (direct != null && direct.choices() != null && !direct.choices().isEmpty()) {
                    return direct;
                }
            } catch (JsonProcessingException e) {
                // not readable: the path below reports it, the same way as any other answer
            }
        }
        try {
            JsonNode answer = normalize(EngineHttp.parse(text));
            if (answer.path("choices").isEmpty()) {
                throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, http.endpoint().engine() + " at "
                        + http.endpoint().displayUrl() + " answered a chat completion without choices: "
                        + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
            }
            return LANGCHAIN4J_JSON.treeToValue(answer, ChatCompletionResponse.class);
        } catch (JsonProcessingException e) {
            throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, http.endpoint().engine() + " at "
                    + http.endpoint().displayUrl() + " answered a chat completion that cannot be read: "
                    + e.getOriginalMessage());
        }
    }

    /**
     * A stream payload with vLLM's newer {@code reasoning} (≥ 0.10.2, also Ollama's /v1) where
     * LangChain4j reads {@code reasoning_content}. Most payloads have neither and pass untouched;
     * a payload with only {@code reasoning} has its key renamed in the text (a key is the only
     * place an unescaped {@code "reasoning":} can appear); one with both is read as a tree.
     */
    static String renameReasoning(String payload) {
        if (!payload.contains("\"reasoning\":")) {
            return payload;
        }
        if (!payload.contains("\"reasoning_content\"")) {
            return payload.replace("\"reasoning\":", "\"reasoning_content\":");
        }
        return normalize(EngineHttp.parse(payload)).toString();
    }

    /** Copies {@code reasoning} to {@code reasoning_content} where only the former is set. */
    static JsonNode normalize(JsonNode chunk) {
        for (JsonNode choice : chunk.path("choices")) {
            for (String part : new String[] {"delta", "message"}) {
                if (choice.get(part) instanceof ObjectNode node && node.hasNonNull("reasoning")
                        && !node.hasNonNull("reasoning_content")) {
                    node.set("reasoning_content", node.get("reasoning"));
                }
            }
        }
        return chunk;
    }

    private static ChatRequest chatRequest(GenerationRequest request, Map<String, Object> extras) {
        SamplingParams s = request.sampling();
        Map<String, Object> custom = new java.util.LinkedHashMap<>(extras);
        if (s.seed() != null) {
            custom.put("seed", s.seed());
        }
        UpstreamLogprobs.askChat(custom, request.logprobs());
        if (request.hasTools()) {
            // As declared, not through LangChain4j's ToolSpecification: its schema model would
            // rewrite what it cannot represent, and the engine is the one that should judge it.
            custom.put("tools", ToolCalls.toolsJson(request.tools()));
            custom.put("tool_choice", ToolCalls.toolChoiceJson(request.toolChoice()));
            if (!request.toolChoice().parallel()) {
                custom.put("parallel_tool_calls", false);
            }
        }
        OpenAiChatRequestParameters parameters = OpenAiChatRequestParameters.builder()
                .modelName(request.model())
                .temperature(s.temperature())
                .topP(s.topP())
                .maxOutputTokens(s.maxTokens())
                .stopSequences(s.stopOrEmpty().isEmpty() ? null : s.stopOrEmpty())
                .customParameters(custom)
                .build();
        return ChatRequest.builder().messages(messages(request.messages())).parameters(parameters).build();
    }

    private static List<dev.langchain4j.data.message.ChatMessage> messages(List<ChatMessage> turns) {
        return ToolCalls.toLangChain4j(turns, m -> switch (m.role()) {
            case "system" -> SystemMessage.from(m.content());
            case "user" -> UserMessage.from(m.content());
            case "assistant" -> AiMessage.from(m.content());
            default -> throw InfercoreException.invalid("messages", "Remote OpenAI-compatible engines take roles "
                    + "system, user, assistant and tool; got '" + m.role() + "'");
        });
    }

    /** {@code tool_calls} whenever the answer is calls: some servers report {@code stop} with them. */
    static String finishReason(FinishReason reason, List<ToolCall> calls) {
        return calls.isEmpty() ? finishReason(reason) : "tool_calls";
    }

    static String finishReason(FinishReason reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> "other";
        };
    }

    static Usage usage(TokenUsage usage) {
        if (usage == null) {
            return Usage.EMPTY;
        }
        return new Usage(usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
    }

    /** A payload read a second time, only when logprobs were asked for (LangChain4j drops them). */
    private static com.fasterxml.jackson.databind.JsonNode readTree(String payload) {
        try {
            return LANGCHAIN4J_JSON.readTree(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }
}
