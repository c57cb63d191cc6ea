package io.infercore.api.openai;

import io.infercore.api.ApiError;
import io.infercore.api.ExceptionMappers;
import io.infercore.api.JsonText;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.TokenLogprob;
import io.infercore.engine.ToolCall;
import io.infercore.engine.Usage;
import io.infercore.inference.OpenStream;
import io.smallrye.mutiny.Multi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns an engine stream into OpenAI's SSE chunks, in OpenAI's order: for chat a role chunk first;
 * one chunk per delta; a finish chunk carrying {@code finish_reason}; with
 * {@code stream_options.include_usage} a usage chunk whose {@code choices} is empty; then
 * {@code data: [DONE]}. With {@code n} choices, each choice's chunks (role, deltas, finish) carry
 * its {@code index} and follow the previous choice's; the usage chunk (every choice's tokens, the
 * prompt counted once) and {@code [DONE]} come once, at the end. A failure after the first byte
 * (the status is already 200) becomes a {@code data: {"error":{...}}} chunk, then {@code [DONE]},
 * as vLLM and SGLang do.
 *
 * <p>Chunks are built by hand around a per-stream prefix: one is written per token, and the
 * general-purpose serializer would cost more than the token. Cancelling the returned stream
 * (client gone) cancels the engine stream.
 */
final class ChunkStream {

    static final String DONE = "data: [DONE]\n\n";
    private static final String CLOSE_CHOICE = ",\"logprobs\":null,\"finish_reason\":";

    private final boolean chat;
    private final int index;
    /** {@code {"index":i,} of this choice. */
    private final String open;
    /** {@code data: {"id":..,"object":..,"created":..,"model":..,"choices":[} */
    private final String prefix;
    /** OpenAI numbers the tool calls of a choice across the whole stream. */
    private int toolCallIndex;
    /** Characters of text sent so far: the legacy {@code text_offset} of the next token. */
    private int textOffset;

    private ChunkStream(boolean chat, String id, long created, String model, int index) {
        this.chat = chat;
        this.index = index;
        this.open = "{\"index\":" + index + ",";
        StringBuilder p = new StringBuilder(96).append("data: {\"id\":");
        JsonText.appendQuoted(p, id);
        p.append(",\"object\":\"").append(chat ? "chat.completion.chunk" : "text_completion")
                .append("\",\"created\":").append(created).append(",\"model\":");
        JsonText.appendQuoted(p, model == null ? "" : model);
        this.prefix = p.append(",\"choices\":[").toString();
    }

    /** {@code chat.completion.chunk}s of a chat completion. */
    static Multi<String> chat(String id, long created, OpenStream stream, boolean includeUsage,
                              Function<Throwable, String> errorChunk) {
        return chat(id, created, List.of(stream), includeUsage, errorChunk);
    }

    /** {@code chat.completion.chunk}s of the choices of a chat completion, one stream per choice. */
    static Multi<String> chat(String id, long created, List<OpenStream> streams, boolean includeUsage,
                              Function<Throwable, String> errorChunk) {
        return choices(true, id, created, streams, includeUsage, errorChunk);
    }

    /** {@code text_completion} chunks of a legacy completion. */
    static Multi<String> text(String id, long created, OpenStream stream, boolean includeUsage,
                              Function<Throwable, String> errorChunk) {
        return text(id, created, List.of(stream), includeUsage, errorChunk);
    }

    /** {@code text_completion} chunks of the choices of a legacy completion, one stream per choice. */
    static Multi<String> text(String id, long created, List<OpenStream> streams, boolean includeUsage,
                              Function<Throwable, String> errorChunk) {
        return choices(false, id, created, streams, includeUsage, errorChunk);
    }

    private static Multi<String> choices(boolean chat, String id, long created, List<OpenStream> streams,
                                         boolean includeUsage, Function<Throwable, String> errorChunk) {
        List<Multi<String>> parts = new ArrayList<>(streams.size() + 1);
        int[] usage = new int[2];
        for (int i = 0; i < streams.size(); i++) {
            parts.add(new ChunkStream(chat, id, created, streams.get(i).modelName(), i).frames(streams.get(i), usage));
        }
        if (includeUsage) {
            ChunkStream first = new ChunkStream(chat, id, created, streams.get(0).modelName(), 0);
            parts.add(Multi.createFrom().deferred(() -> Multi.createFrom().item(
                    first.usage(new Usage(usage[0], usage[1])))));
        }
        Multi<String> guarded = Multi.createBy().concatenating().streams(parts).onFailure().recoverWithItem(errorChunk);
        return Multi.createBy().concatenating().streams(guarded, Multi.createFrom().item(DONE));
    }

    /** The chunk a client reads when the stream fails after it started: OpenAI's error object. */
    static Map<String, Object> errorBody(Throwable failure, String requestId) {
        ApiError e = ApiError.of(failure, requestId);
        return Map.of("error", new ExceptionMappers.OpenAiError(e.message(), e.type(), e.param(),
                String.valueOf(e.status())));
    }

    /** This choice's frames; its token counts are added to {@code usage} (prompt tokens counted once). */
    private Multi<String> frames(OpenStream stream, int[] usage) {
        Multi<String> body = stream.events().onItem().transformToIterable(event -> {
            if (event instanceof StreamEvent.Done done && done.usage() != null) {
                usage[0] = Math.max(usage[0], done.usage().promptTokens());
                usage[1] += done.usage().completionTokens();
            }
            return framesOf(event);
        });
        if (chat) {
            body = Multi.createBy().concatenating().streams(Multi.createFrom().item(roleChunk()), body);
        }
        return body;
    }

    private List<String> framesOf(StreamEvent event) {
        if (event instanceof StreamEvent.Delta d) {
            if (!d.toolCalls().isEmpty() && chat) {
                List<String> frames = new ArrayList<>(d.toolCalls().size());
                d.toolCalls().forEach(call -> frames.add(toolCall(call)));
                return frames;
            }
            boolean hasReasoning = d.reasoning() != null && !d.reasoning().isEmpty();
            boolean hasText = d.text() != null && !d.text().isEmpty();
            return hasText || hasReasoning || !d.logprobs().isEmpty()
                    ? List.of(delta(d.text(), hasReasoning ? d.reasoning() : null, d.logprobs())) : List.of();
        }
        StreamEvent.Done done = (StreamEvent.Done) event;
        return List.of(finish(OpenAiParams.finishReason(done.finishReason())));
    }

    private String roleChunk() {
        return prefix + open + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"}" + CLOSE_CHOICE + "null}]}\n\n";
    }

    private String delta(String text, String reasoning, List<TokenLogprob> logprobs) {
        int size = prefix.length() + 96 + (text == null ? 0 : text.length()) + (reasoning == null ? 0 : reasoning.length());
        StringBuilder f = new StringBuilder(size).append(prefix);
        if (chat) {
            f.append(open).append("\"delta\":{");
            if (text != null && !text.isEmpty()) {
                f.append("\"content\":");
                JsonText.appendQuoted(f, text);
                f.append(reasoning == null ? "" : ",");
            }
            if (reasoning != null) {
                f.append("\"reasoning_content\":");
                JsonText.appendQuoted(f, reasoning);
            }
            f.append('}');
        } else {
            // A text completion has no place for reasoning; only the text is streamed.
            f.append("{\"text\":");
            JsonText.appendQuoted(f, text == null ? "" : text);
            f.append(",\"index\":").append(index);
        }
        if (logprobs.isEmpty()) {
            return f.append(CLOSE_CHOICE).append("null}]}\n\n").toString();
        }
        f.append(",\"logprobs\":");
        if (chat) {
            OpenAiLogprobs.appendChat(f, logprobs);
        } else {
            textOffset = OpenAiLogprobs.appendText(f, logprobs, textOffset);
        }
        return f.append(",\"finish_reason\":null}]}\n\n").toString();
    }

    /** A whole call in one chunk: id, type and name with the complete arguments, as OpenAI allows. */
    private String toolCall(ToolCall call) {
        StringBuilder f = new StringBuilder(prefix.length() + 160 + call.arguments().length()).append(prefix)
                .append(open).append("\"delta\":{\"tool_calls\":[{\"index\":").append(toolCallIndex++).append(",\"id\":");
        JsonText.appendQuoted(f, call.id());
        f.append(",\"type\":\"function\",\"function\":{\"name\":");
        JsonText.appendQuoted(f, call.name());
        f.append(",\"arguments\":");
        JsonText.appendQuoted(f, call.arguments());
        return f.append("}}]}").append(CLOSE_CHOICE).append("null}]}\n\n").toString();
    }

    private String finish(String reason) {
        String choice = chat ? open + "\"delta\":{}" : "{\"text\":\"\",\"index\":" + index;
        return prefix + choice + CLOSE_CHOICE + "\"" + reason + "\"}]}\n\n";
    }

    private String usage(Usage u) {
        return prefix + "],\"usage\":{\"prompt_tokens\":" + u.promptTokens() + ",\"completion_tokens\":"
                + u.completionTokens() + ",\"total_tokens\":" + u.totalTokens() + "}}\n\n";
    }
}
