package io.infercore.engine;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.List;

/** Gathers a stream into one {@link GenerationResult}. */
public final class StreamCollector {

    private StreamCollector() {
    }

    public static Uni<GenerationResult> collect(Multi<StreamEvent> stream) {
        return stream.collect().in(Accumulator::new, Accumulator::add).map(Accumulator::result);
    }

    private static final class Accumulator {
        private final StringBuilder text = new StringBuilder();
        private StringBuilder reasoning;
        private StreamEvent.Done done;
        private final List<ToolCall> toolCalls = new ArrayList<>();
        private List<TokenLogprob> logprobs;

        void add(StreamEvent event) {
            if (event instanceof StreamEvent.Delta delta) {
                toolCalls.addAll(delta.toolCalls());
                if (!delta.logprobs().isEmpty()) {
                    if (logprobs == null) {
                        logprobs = new ArrayList<>();
                    }
                    logprobs.addAll(delta.logprobs());
                }
                if (delta.text() != null) {
                    text.append(delta.text());
                }
                if (delta.reasoning() != null) {
                    if (reasoning == null) {
                        reasoning = new StringBuilder();
                    }
                    reasoning.append(delta.reasoning());
                }
            } else if (event instanceof StreamEvent.Done d) {
                done = d;
            }
        }

        GenerationResult result() {
            String finish = done == null ? "stop" : done.finishReason();
            Usage usage = done == null || done.usage() == null ? Usage.EMPTY : done.usage();
            return new GenerationResult(text.toString(), reasoning == null ? null : reasoning.toString(), finish, usage,
                    toolCalls, logprobs);
        }
    }
}
