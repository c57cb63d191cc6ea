package io.infercore.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reflection registrations for the native image of JSON types that Jackson reads or writes
 * outside JAX-RS resource signatures (Quarkus registers only the types it sees there; every
 * {@code /api/v1} and {@code /v1} reply is written by {@code Replies} as a pre-serialised string,
 * and the supervisor's state file and the Ollama wire format are read and written with their own
 * {@code ObjectMapper}). The types of the {@code api} package carry {@code @RegisterForReflection}
 * themselves; this class names those of packages that other parts of the code own, by name so a
 * package can change without editing this file, and the wire types of libraries that ship no
 * native-image metadata of their own (LangChain4j's Ollama client). Nested types are registered with their outer
 * class, and {@code registerFullHierarchy} follows field and accessor types (records inside
 * records, lists of records, enums).
 *
 * <p>{@code NativeReflectionTest} fails when a name here no longer resolves, and
 * {@code scripts/check-native-sources.sh} checks the generated native-image metadata.
 */
@RegisterForReflection(registerFullHierarchy = true, classNames = {
        // OpenAI-compatible API: replies, chunks, model list (written by Replies with the app's ObjectMapper)
        "io.infercore.api.openai.OpenAiReplies",
        "io.infercore.api.openai.ModelRouter$Listed",
        // Engine instances' health (GET /api/v1/health, written by Replies)
        "io.infercore.health.EngineInstancesHealth$InstanceHealth",
        // Anthropic Messages API replies (written by Replies); the Responses API writes JSON trees, which need none
        "io.infercore.api.anthropic.AnthropicReplies",
        // Ollama wire records (NDJSON read and written with the app's ObjectMapper)
        "io.infercore.engine.ollama.OllamaWire",
        // Supervisor: the state file (<models_dir>/runs/state.json) and the run views and progress frames
        "io.infercore.supervisor.RunStateStore$StateFile",
        "io.infercore.supervisor.RunState",
        "io.infercore.supervisor.LaunchPlan",
        "io.infercore.supervisor.ReplicaState",
        "io.infercore.supervisor.RunView",
        "io.infercore.supervisor.LaunchProgress",
        "io.infercore.supervisor.RunLogs",
        // Model catalog entries (models.json) as listed by the API
        "io.infercore.catalog.CatalogModel",
        "io.infercore.catalog.CatalogModel$Parsers",
        "io.infercore.catalog.CatalogModel$EngineOptions",
        "io.infercore.catalog.ModelSize",
        "io.infercore.catalog.GgufSource",
        // LangChain4j's Ollama wire types, which it (de)serialises with its own ObjectMapper on the chat
        // path (ChatStream): langchain4j-ollama ships no native-image metadata (langchain4j-open-ai does).
        // Without them a native executable sends Ollama {} ("model is required"). The Jackson helpers
        // named in their annotations (FormatSerializer, OllamaDateDeserializer) are instantiated reflectively.
        "dev.langchain4j.model.ollama.CompletionRequest", "dev.langchain4j.model.ollama.CompletionResponse",
        "dev.langchain4j.model.ollama.DeleteModelRequest", "dev.langchain4j.model.ollama.EmbeddingRequest",
        "dev.langchain4j.model.ollama.EmbeddingResponse", "dev.langchain4j.model.ollama.Function",
        "dev.langchain4j.model.ollama.FunctionCall", "dev.langchain4j.model.ollama.Message",
        "dev.langchain4j.model.ollama.ModelsListResponse", "dev.langchain4j.model.ollama.OllamaChatRequest",
        "dev.langchain4j.model.ollama.OllamaChatResponse", "dev.langchain4j.model.ollama.OllamaModel",
        "dev.langchain4j.model.ollama.OllamaModelCard", "dev.langchain4j.model.ollama.OllamaModelDetails",
        "dev.langchain4j.model.ollama.Options", "dev.langchain4j.model.ollama.Parameters",
        "dev.langchain4j.model.ollama.Role", "dev.langchain4j.model.ollama.RunningModelsListResponse",
        "dev.langchain4j.model.ollama.RunningOllamaModel", "dev.langchain4j.model.ollama.ShowModelInformationRequest",
        "dev.langchain4j.model.ollama.Tool", "dev.langchain4j.model.ollama.ToolCall",
        "dev.langchain4j.model.ollama.FormatSerializer", "dev.langchain4j.model.ollama.OllamaDateDeserializer",
})
public final class NativeReflection {

    private NativeReflection() {
    }
}
