package io.infercore.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

    @Test
    void should_mask_registered_values_wherever_they_appear() {
        Secrets.register("registered-secret-4242");
        assertThat(Secrets.redact("cannot reach http://h/?k=registered-secret-4242 now"))
                .isEqualTo("cannot reach http://h/?k=*** now");
    }

    @Test
    void should_mask_the_shapes_secrets_travel_in() {
        assertThat(Secrets.redact("Authorization: Bearer abc.DEF-123")).isEqualTo("Authorization: Bearer ***");
        assertThat(Secrets.redact("{\"authorization\":\"Basic dXNlcjpw\"}")).isEqualTo("{\"authorization\":\"Basic ***\"}");
        assertThat(Secrets.redact("sent bearer tok_12345678 upstream")).isEqualTo("sent bearer *** upstream");
        assertThat(Secrets.redact("vllm serve m --api-key sk-1 --port 1")).isEqualTo("vllm serve m --api-key *** --port 1");
        assertThat(Secrets.redact("python -m x --api-key=sk-1")).isEqualTo("python -m x --api-key=***");
        assertThat(Secrets.redact("ServerArgs(host='127.0.0.1', api_key='sk-live-9')")).isEqualTo("ServerArgs(host='127.0.0.1', api_key='***')");
        assertThat(Secrets.redact("{\"hf_token\": \"abc\", \"x\": 1}")).isEqualTo("{\"hf_token\": \"***\", \"x\": 1}");
        assertThat(Secrets.redact("X-API-Key: k-123456")).isEqualTo("X-API-Key: ***");
        assertThat(Secrets.redact("HF_TOKEN=abc123 python")).isEqualTo("HF_TOKEN=*** python");
        assertThat(Secrets.redact("token hf_abcdefghijklmnopqrstuvwxyz0123 refused")).isEqualTo("token hf_*** refused");
        assertThat(Secrets.redact("not reachable at http://admin:pa55@10.0.0.1:11434/x")).isEqualTo("not reachable at http://***@10.0.0.1:11434/x");
    }

    @Test
    void should_leave_ordinary_text_alone() {
        String[] plain = {"max_tokens must be at most 512", "usage: {\"prompt_tokens\": 3, \"completion_tokens\": 4}",
                "vllm serve m --tokenizer /models/tok --port 8000", "api_key is not set", "http://127.0.0.1:8000/v1",
                "{\"api_key\": null}", "ServerArgs(api_key=None)",
                "send it as \"Authorization: Bearer <key>\" or \"X-API-Key: <key>\"", "a Bearer token", "\"api_keys\": []", "hf_token=***"};
        for (String text : plain) {
            assertThat(Secrets.redact(text)).as(text).isEqualTo(text);
        }
        assertThat(Secrets.redact(null)).isNull();
    }

    @Test
    void should_ignore_blank_and_very_short_registered_values() {
        Secrets.register("");
        Secrets.register(null);
        Secrets.register("ab");
        assertThat(Secrets.redact("about a tab")).isEqualTo("about a tab");
    }
}
