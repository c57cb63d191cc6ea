package io.infercore.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.Usage;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.inference.OpenStream;
import io.smallrye.mutiny.Multi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact chunk sequence and JSON of the hand-built SSE frames, including what the embedded model never emits. */
class ChunkStreamTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static OpenStream stream(Multi<StreamEvent> events) {
        return new OpenStream(events, "vllm", "m\"odel");
    }

    static List<String> chat(Multi<StreamEvent> events, boolean includeUsage) {
        return ChunkStream.chat("chatcmpl-1", 42, stream(events), includeUsage, t -> "data: {\"error\":{\"message\":\""
                + t.getMessage() + "\"}}\n\n").collect().asList().await().atMost(Duration.ofSeconds(20));
    }

    static JsonNode data(String frame) throws Exception {
        assertThat(frame).startsWith("data: ").endsWith("\n\n");
        return JSON.readTree(frame.substring(6));
    }

    @Test
    void should_send_role_then_reasoning_and_content_then_finish_then_usage_then_done() throws Exception {
        List<String> frames = chat(Multi.createFrom().items(new StreamEvent.Delta(null, "I think \"so\""),
                new StreamEvent.Delta("Hi\n", null), new StreamEvent.Delta("", null),
                new StreamEvent.Done("length", new Usage(3, 2))), true);

        assertThat(frames).hasSize(6);
        JsonNode role = data(frames.get(0));
        assertThat(role.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(role.path("model").asText()).isEqualTo("m\"odel");
        assertThat(role.path("created").asLong()).isEqualTo(42);
        assertThat(role.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(data(frames.get(1)).at("/choices/0/delta")).isEqualTo(JSON.readTree("{\"reasoning_content\":\"I think \\\"so\\\"\"}"));
        assertThat(data(frames.get(2)).at("/choices/0/delta")).isEqualTo(JSON.readTree("{\"content\":\"Hi\\n\"}"));
        JsonNode finish = data(frames.get(3));
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(finish.at("/choices/0/delta").isEmpty()).isTrue();
        JsonNode usage = data(frames.get(4));
        assertThat(usage.path("choices").isEmpty()).isTrue();
        assertThat(usage.path("usage")).isEqualTo(JSON.readTree("{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}"));
        assertThat(frames.get(5)).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    void should_end_a_failed_stream_with_an_error_chunk_then_done() throws Exception {
        Multi<StreamEvent> failing = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(StreamEvent.Delta.text("Hi")),
                Multi.createFrom().failure(new InfercoreException(ErrorKind.CONTEXT_OVERFLOW, "too long")));

        List<String> frames = chat(failing, true);

        assertThat(frames).hasSize(4);
        assertThat(data(frames.get(2)).at("/error/message").asText()).isEqualTo("too long");
        assertThat(frames.get(3)).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    void should_stream_text_completion_chunks_without_a_role_chunk_or_usage_unless_asked() throws Exception {
        List<String> frames = ChunkStream.text("cmpl-1", 42, stream(Multi.createFrom().items(StreamEvent.Delta.text("Once"),
                        new StreamEvent.Done("abort", Usage.EMPTY))), false, t -> "")
                .collect().asList().await().atMost(Duration.ofSeconds(20));

        assertThat(frames).hasSize(3);
        assertThat(data(frames.get(0)).path("object").asText()).isEqualTo("text_completion");
        assertThat(data(frames.get(0)).at("/choices/0/text").asText()).isEqualTo("Once");
        assertThat(data(frames.get(0)).at("/choices/0/finish_reason").isNull()).isTrue();
        // Engine-specific reasons are reported as one of OpenAI's.
        assertThat(data(frames.get(1)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(frames.get(2)).isEqualTo("data: [DONE]\n\n");
    }
}
