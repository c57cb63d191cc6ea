package io.infercore.engine.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaOutput;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.Usage;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One generation on a worker thread: prompt, token budget, sampling, grammar, then token by
 * token into the emitter. Cancellation is checked between tokens and done on this same thread,
 * so the native task is cancelled and released by the thread that owns it.
 */
final class TokenLoop implements Runnable {

    /** {@code engine_args} this engine honours. */
    static final Set<String> ENGINE_ARGS = Set.of("grammar", "top_k", "min_p", "repeat_penalty",
            "presence_penalty", "frequency_penalty", "ignore_eos");

    private final LoadedModel model;
    private final GenerationRequest request;
    private final int defaultMaxTokens;
    private final MultiEmitter<? super StreamEvent> emitter;
    private final AtomicBoolean cancelled;
    private final Runnable onCancelled;

    TokenLoop(LoadedModel model, GenerationRequest request, int defaultMaxTokens,
              MultiEmitter<? super StreamEvent> emitter, AtomicBoolean cancelled, Runnable onCancelled) {
        this.model = model;
        this.request = request;
        this.defaultMaxTokens = defaultMaxTokens;
        this.emitter = emitter;
        this.cancelled = cancelled;
        this.onCancelled = onCancelled;
    }

    @Override
    public void run() {
        if (cancelled.get()) {
            onCancelled.run();
            return;
        }
        try {
            generate();
        } catch (InfercoreException e) {
            emitter.fail(e);
        } catch (RuntimeException | Error e) {
            emitter.fail(new InfercoreException(ErrorKind.INTERNAL,
                    "The embedded engine failed on model '" + model.name() + "': " + e.getMessage(), null, e));
        }
    }

    private void generate() {
        String prompt = request.isChat() ? model.formatChat(request.messages(), request.tools()) : request.prompt();
        int promptTokens = model.countTokens(prompt);
        int maxTokens = tokenBudget(promptTokens);
        InferenceParameters params = parameters(prompt, maxTokens);

        LlamaIterator tokens = model.model().generate(params).iterator();
        // llama.cpp sends one result per generated token, text or not (a token can render as
        // nothing), then a final one that only says it stopped: counting only the results with
        // text would read a cut at max_tokens as a natural stop.
        int results = 0;
        boolean finished = false;
        // With tools, calls are handed over whole at the end: held back from the first '[' on.
        StringBuilder held = request.hasTools() ? new StringBuilder() : null;
        boolean holding = held != null && !request.toolChoice().isAuto();
        try {
            while (tokens.hasNext()) {
                if (cancelled.get()) {
                    tokens.cancel();
                    onCancelled.run();
                    return;
                }
                LlamaOutput out = tokens.next();
                results++;
                if (out.text.isEmpty()) {
                    continue;
                }
                if (held != null && !holding && held.isEmpty() && out.text.strip().startsWith("[")) {
                    holding = true;
                }
                if (holding) {
                    held.append(out.text);
                } else {
                    emitter.emit(StreamEvent.Delta.text(out.text));
                    if (held != null) {
                        held.append(out.text);
                    }
                }
            }
            finished = true;
        } finally {
            if (!finished && tokens.hasNext()) {
                tokens.cancel();
            }
        }
        int completionTokens = Math.max(0, results - 1);
        String finishReason = completionTokens >= maxTokens ? "length" : "stop";
        if (holding) {
            List<io.infercore.engine.ToolCall> calls = ToolCalling.parse(held.toString());
            if (calls.isEmpty()) {
                emitter.emit(StreamEvent.Delta.text(held.toString()));
            } else {
                emitter.emit(StreamEvent.Delta.calls(calls));
                finishReason = "tool_calls";
            }
        }
        emitter.emit(new StreamEvent.Done(finishReason, new Usage(promptTokens, completionTokens)));
        emitter.complete();
    }

    /** The request's max_tokens, or the default; either way it must fit the context after the prompt. */
    private int tokenBudget(int promptTokens) {
        int context = model.contextLength();
        int left = context - promptTokens;
        Integer asked = request.sampling().maxTokens();
        if (asked != null) {
            if (promptTokens + asked > context) {
                throw new InfercoreException(ErrorKind.CONTEXT_OVERFLOW, "The prompt (" + promptTokens
                        + " tokens) plus max_tokens (" + asked + ") exceeds the context length of model '"
                        + model.name() + "' (" + context + " tokens); shorten the prompt or lower max_tokens",
                        "max_tokens", null);
            }
            return asked;
        }
        if (left <= 0) {
            throw new InfercoreException(ErrorKind.CONTEXT_OVERFLOW, "The prompt (" + promptTokens
                    + " tokens) does not fit the context length of model '" + model.name() + "' (" + context
                    + " tokens)", "prompt", null);
        }
        return Math.min(defaultMaxTokens, left);
    }

    private InferenceParameters parameters(String prompt, int maxTokens) {
        SamplingParams s = request.sampling();
        InferenceParameters p = new InferenceParameters(prompt).setNPredict(maxTokens);
        if (s.temperature() != null) {
            p.setTemperature(s.temperature().floatValue());
        }
        if (s.topP() != null) {
            p.setTopP(s.topP().floatValue());
        }
        if (s.seed() != null) {
            p.setSeed((int) (long) s.seed());
        }
        if (!s.stopOrEmpty().isEmpty()) {
            p.setStopStrings(s.stopOrEmpty().toArray(String[]::new));
        }
        if (request.jsonSchema() != null) {
            p.setGrammar(JsonSchemaGrammar.cached(request.jsonSchema()).gbnf());
        }
        if (request.hasTools()) {
            p.setGrammar(ToolCalling.grammar(request));
        }
        applyEngineArgs(p, request.engineArgs());
        return p;
    }

    private static void applyEngineArgs(InferenceParameters p, Map<String, Object> args) {
        args.forEach((key, value) -> {
            switch (key) {
                case "grammar" -> p.setGrammar(String.valueOf(value));
                case "top_k" -> p.setTopK(((Number) value).intValue());
                case "min_p" -> p.setMinP(((Number) value).floatValue());
                case "repeat_penalty" -> p.setRepeatPenalty(((Number) value).floatValue());
                case "presence_penalty" -> p.setPresencePenalty(((Number) value).floatValue());
                case "frequency_penalty" -> p.setFrequencyPenalty(((Number) value).floatValue());
                case "ignore_eos" -> p.setIgnoreEos((Boolean) value);
                default -> throw new IllegalStateException("unchecked engine_args key " + key);
            }
        });
    }
}
