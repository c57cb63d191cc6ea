package io.infercore.engine.ollama;

import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.StreamEvent;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Stream cases beyond the shared contract, against the fake Ollama: cancelling before the first
 * token (which LangChain4j's own cancel handle cannot do), a line that is not JSON, a connection
 * dropped mid-stream, the slot Ollama 0.17.4 can keep after a cancelled stream, and every chat role.
 */
@QuarkusTest
@WithTestResource(value = FakeOllamaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OllamaStreamEdgesTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @FakeOllamaResource.InjectFakeOllama
    FakeEngineProcess fake;
    @Inject
    OllamaEngine ollama;

    @AfterEach
    void resetKnobs() {
        fake.resetKnobs();
    }

    static GenerationRequest chat(List<ChatMessage> messages) {
        return new GenerationRequest("llama3.2:latest", null, messages, new SamplingParams(16, 0.0, null, List.of(), null),
                null, Map.of(), null);
    }

    static GenerationRequest prompt(String text) {
        return new GenerationRequest("llama3.2:latest", text, null, new SamplingParams(16, 0.0, null, List.of(), null),
                null, Map.of(), null);
    }

    @Test
    void should_close_the_connection_when_cancelled_before_the_first_token() {
        fake.setKnob("hang", true);
        for (GenerationRequest request : List.of(chat(List.of(new ChatMessage("user", "hi"))), prompt("hi"))) {
            String path = request.isChat() ? "/api/chat" : "/api/generate";
            long received = fake.stats().path("requests").path(path).asLong();
            long before = fake.stats().path("disconnected").asLong();
            AssertSubscriber<StreamEvent> subscriber = ollama.stream(request)
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            await().atMost(WAIT).until(() -> fake.stats().path("requests").path(path).asLong() > received);
            subscriber.cancel();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(fake.stats().path("disconnected").asLong()).isGreaterThan(before));
            assertThat(subscriber.getItems()).isEmpty();
        }
    }

    /**
     * Ollama 0.17.4 can keep a model's only slot when a client leaves a stream (ollama/ollama#17131;
     * the fake's {@code leak_slot_on_cancel} always loses that race, the real server sometimes):
     * every later request of that model would then wait unanswered. The cancel is followed by a
     * one-token probe; unanswered, it makes the adapter unload the model, and the next request is
     * served by a fresh runner.
     */
    @Test
    void should_serve_the_next_request_when_ollama_kept_the_slot_of_a_cancelled_stream() {
        fake.setKnobs(Map.of("leak_slot_on_cancel", true, "token_delay_ms", 50));
        for (GenerationRequest request : List.of(prompt("Tell me a long story"), chat(List.of(new ChatMessage("user", "Tell me"))))) {
            long generates = requests("/api/generate");
            AssertSubscriber<StreamEvent> subscriber = ollama.stream(request)
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            subscriber.awaitItems(1, WAIT);
            subscriber.cancel();

            assertThat(ollama.generate(prompt("hi")).await().atMost(WAIT).usage().completionTokens()).isPositive();
            assertThat(fake.lastRequest("/api/chat").path("stream").asBoolean(true)).as("the probe is not streamed").isFalse();
            assertThat(requests("/api/generate") - generates).as("the stream, the unload, the next request")
                    .isEqualTo(request.isChat() ? 2 : 3);
        }
    }

    /** When the slot is free the probe is answered at once: nothing is unloaded. */
    @Test
    void should_not_unload_the_model_when_the_slot_of_a_cancelled_stream_is_free() {
        fake.setKnob("token_delay_ms", 50);
        long generates = requests("/api/generate");
        long chats = requests("/api/chat");
        AssertSubscriber<StreamEvent> subscriber = ollama.stream(prompt("Tell me a long story"))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        subscriber.awaitItems(1, WAIT);
        subscriber.cancel();

        assertThat(ollama.generate(prompt("hi")).await().atMost(WAIT).usage().completionTokens()).isPositive();
        assertThat(requests("/api/chat") - chats).as("the probe").isEqualTo(1);
        assertThat(requests("/api/generate") - generates).as("the stream and the next request").isEqualTo(2);
    }

    private long requests(String path) {
        return fake.stats().path("requests").path(path).asLong();
    }

    @Test
    void should_fail_with_502_on_a_stream_line_that_is_not_json() {
        fake.setKnob("garbage", true);
        for (GenerationRequest request : List.of(chat(List.of(new ChatMessage("user", "hi"))), prompt("hi"))) {
            InfercoreException e = catchThrowableOfType(InfercoreException.class,
                    () -> ollama.generate(request).await().atMost(WAIT));
            assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
            assertThat(e.getMessage()).contains("not a JSON object");
        }
    }

    @Test
    void should_fail_with_502_when_the_connection_drops_mid_stream() throws Exception {
        fake.setKnob("token_delay_ms", 100);
        AssertSubscriber<StreamEvent> subscriber = ollama.stream(prompt("Tell me a long story"))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        subscriber.awaitItems(1, WAIT);
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/_fake/reload"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"load_seconds\":0.2}")).build(), HttpResponse.BodyHandlers.discarding());

        subscriber.awaitFailure(WAIT);
        assertThat(subscriber.getFailure()).isInstanceOf(InfercoreException.class);
        assertThat(((InfercoreException) subscriber.getFailure()).kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        await().atMost(WAIT).until(() -> ollama.health().await().atMost(WAIT).up());
    }

    @Test
    void should_send_every_chat_role_to_ollama() {
        ollama.generate(chat(List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "Weather?"),
                new ChatMessage("assistant", "Let me look."), new ChatMessage("tool", "sunny"),
                new ChatMessage("user", "So?")))).await().atMost(WAIT);

        assertThat(fake.lastRequest("/api/chat").path("messages")).extracting(m -> m.path("role").asText())
                .containsExactly("system", "user", "assistant", "tool", "user");
        assertThat(fake.lastRequest("/api/chat").path("messages").get(3).path("content").asText()).isEqualTo("sunny");
    }

    @Test
    void should_leave_out_blank_system_and_user_turns_langchain4j_cannot_carry() {
        ollama.generate(chat(List.of(new ChatMessage("system", " "), new ChatMessage("user", "hi"),
                new ChatMessage("assistant", ""), new ChatMessage("user", "")))).await().atMost(WAIT);

        assertThat(fake.lastRequest("/api/chat").path("messages")).extracting(m -> m.path("role").asText())
                .containsExactly("user", "assistant");
    }
}
