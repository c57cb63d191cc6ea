package io.infercore.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.infercore.engine.GenerationResult;
import io.infercore.api.ToolCallData;
import io.infercore.api.ToolFields;
import io.infercore.engine.Usage;
import io.infercore.inference.Completion;
import io.infercore.inference.EmbeddingCompletion;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's response objects. Members OpenAI sends as {@code null} (e.g. {@code logprobs},
 * {@code refusal}) are sent as {@code null} too: strict clients treat a missing required member
 * as a malformed response.
 */
public final class OpenAiReplies {

    private OpenAiReplies() {
    }

    @Schema(name = "OpenAiUsage", description = "OpenAI token usage")
    public record OpenAiUsage(
            @Schema(description = "Tokens in the prompt (after the chat template)") int promptTokens,
            @Schema(description = "Tokens generated") int completionTokens,
            @Schema(description = "prompt_tokens + completion_tokens") int totalTokens) {
        static OpenAiUsage of(List<Completion> completions) {
            int prompt = 0;
            int completion = 0;
            for (Completion c : completions) {
                Usage u = c.result().usage() == null ? Usage.EMPTY : c.result().usage();
                prompt = Math.max(prompt, u.promptTokens());
                completion += u.completionTokens();
            }
            return new OpenAiUsage(prompt, completion, prompt + completion);
        }

        static OpenAiUsage of(Usage usage) {
            Usage u = usage == null ? Usage.EMPTY : usage;
            return new OpenAiUsage(u.promptTokens(), u.completionTokens(), u.totalTokens());
        }
    }

    @Schema(name = "OpenAiChatCompletion", description = "OpenAI chat completion")
    public record ChatCompletion(
            @Schema(description = "chatcmpl- followed by the request id (X-Request-Id)") String id,
            @Schema(description = "chat.completion") String object,
            @Schema(description = "Unix time in seconds") long created,
            @Schema(description = "Model that answered, as the engine names it") String model,
            @Schema(description = "n choices (default 1)") List<ChatChoice> choices,
            OpenAiUsage usage,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "infercore extension, with response_format json_schema: the schema keywords (JSON "
                    + "pointers) the engine's constrained decoding does not enforce; absent when the engine does not say")
            List<String> unenforcedKeywords) {
        static ChatCompletion of(String id, long created, Completion c) {
            return of(id, created, List.of(c));
        }

        /** One choice per completion, in order; usage counts the prompt once and every choice's tokens. */
        static ChatCompletion of(String id, long created, List<Completion> completions) {
            List<ChatChoice> choices = new ArrayList<>(completions.size());
            for (Completion c : completions) {
                GenerationResult r = c.result();
                List<ToolCallData> calls = ToolFields.data(r.toolCalls());
                String content = calls != null && (r.text() == null || r.text().isEmpty()) ? null : r.text();
                AssistantMessage message = new AssistantMessage("assistant", content, r.reasoning(), null, calls);
                choices.add(new ChatChoice(choices.size(), message, OpenAiLogprobs.chat(r.logprobs()),
                        OpenAiParams.finishReason(r.finishReason())));
            }
            Completion first = completions.get(0);
            return new ChatCompletion(id, "chat.completion", created, first.modelName(), choices,
                    OpenAiUsage.of(completions), first.unenforcedKeywords());
        }
    }

    @Schema(name = "OpenAiChatChoice", description = "One choice of a chat completion")
    public record ChatChoice(
            @Schema(description = "Position of the choice, 0 to n - 1") int index,
            AssistantMessage message,
            @Schema(description = "With logprobs: true, the content tokens' log-probabilities; else null")
            OpenAiLogprobs.ChatLogprobs logprobs,
            @Schema(description = "stop, length or tool_calls") String finishReason) {
    }

    /** The reply; {@code reasoning_content} (the model's thinking, kept out of content) only when there is some. */
    @Schema(name = "OpenAiAssistantMessage", description = "The assistant's reply")
    public record AssistantMessage(
            @Schema(description = "assistant") String role,
            @Schema(description = "The answer (never includes reasoning)") String content,
            @Schema(description = "The model's reasoning, when it produced any")
            @JsonInclude(JsonInclude.Include.NON_NULL) String reasoningContent,
            @Schema(description = "Always null") String refusal,
            @Schema(description = "The calls the model asked for (finish_reason tool_calls); absent when none")
            @JsonInclude(JsonInclude.Include.NON_NULL) List<ToolCallData> toolCalls) {
    }

    @Schema(name = "OpenAiTextCompletion", description = "OpenAI text completion")
    public record TextCompletion(
            @Schema(description = "cmpl- followed by the request id (X-Request-Id)") String id,
            @Schema(description = "text_completion") String object,
            @Schema(description = "Unix time in seconds") long created,
            @Schema(description = "Model that answered, as the engine names it") String model,
            @Schema(description = "n choices (default 1)") List<TextChoice> choices,
            OpenAiUsage usage) {
        static TextCompletion of(String id, long created, Completion c) {
            return of(id, created, List.of(c));
        }

        static TextCompletion of(String id, long created, List<Completion> completions) {
            List<TextChoice> choices = new ArrayList<>(completions.size());
            for (Completion c : completions) {
                choices.add(new TextChoice(c.result().text(), choices.size(), OpenAiLogprobs.text(c.result().logprobs()),
                        OpenAiParams.finishReason(c.result().finishReason())));
            }
            return new TextCompletion(id, "text_completion", created, completions.get(0).modelName(), choices,
                    OpenAiUsage.of(completions));
        }
    }

    @Schema(name = "OpenAiTextChoice", description = "One choice of a text completion")
    public record TextChoice(
            @Schema(description = "Generated text") String text,
            @Schema(description = "Position of the choice, 0 to n - 1") int index,
            @Schema(description = "With logprobs set, the tokens' log-probabilities; else null")
            OpenAiLogprobs.TextLogprobs logprobs,
            @Schema(description = "stop or length") String finishReason) {
    }

    @Schema(name = "OpenAiEmbeddingList", description = "OpenAI embedding list")
    public record EmbeddingList(
            @Schema(description = "list") String object,
            @Schema(description = "One vector per input, in input order") List<EmbeddingItem> data,
            @Schema(description = "Model that answered") String model,
            EmbeddingUsage usage) {
        static EmbeddingList of(EmbeddingCompletion c, boolean base64) {
            List<EmbeddingItem> items = new ArrayList<>(c.result().embeddings().size());
            for (float[] vector : c.result().embeddings()) {
                items.add(new EmbeddingItem("embedding", items.size(), base64 ? base64(vector) : vector));
            }
            int tokens = c.result().promptTokens();
            return new EmbeddingList("list", items, c.modelName(), new EmbeddingUsage(tokens, tokens));
        }
    }

    /** {@code embedding} is a float array, or with {@code encoding_format: base64} little-endian float32 bytes. */
    @Schema(name = "OpenAiEmbedding", description = "One vector")
    public record EmbeddingItem(
            @Schema(description = "embedding") String object,
            @Schema(description = "Position of the input") int index,
            @Schema(description = "Array of floats, or a base64 string of little-endian float32") Object embedding) {
    }

    @Schema(name = "OpenAiEmbeddingUsage", description = "Token usage of an embedding request")
    public record EmbeddingUsage(
            @Schema(description = "Tokens read from the inputs") int promptTokens,
            @Schema(description = "Same as prompt_tokens") int totalTokens) {
    }

    @Schema(name = "OpenAiModelList", description = "OpenAI model list")
    public record ModelList(
            @Schema(description = "list") String object,
            @Schema(description = "Servable models, embedded ones first") List<ModelCard> data) {
    }

    @Schema(name = "OpenAiModel", description = "A servable model")
    public record ModelCard(
            @Schema(description = "What to send as model; engine/name when an earlier engine has the same name") String id,
            @Schema(description = "model") String object,
            @Schema(description = "Unix time in seconds of the listing") long created,
            @Schema(description = "Engine that serves it: llamacpp, ollama, sglang or vllm") String ownedBy) {
        static ModelCard of(ModelRouter.Listed m, long created) {
            return new ModelCard(m.id(), "model", created, m.ownedBy());
        }
    }

    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
