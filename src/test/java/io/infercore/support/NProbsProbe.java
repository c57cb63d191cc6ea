package io.infercore.support;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;

/**
 * Run in a child JVM by {@code EmbeddedLogprobsProbeTest}: asks the llama.cpp binding for token
 * probabilities ({@code n_probs}) on stories260K and prints what it gets. With de.kherud:llama
 * 4.2.0 the process aborts in native code before anything is printed.
 */
public final class NProbsProbe {

    private NProbsProbe() {
    }

    public static void main(String[] args) {
        try (LlamaModel model = new LlamaModel(new ModelParameters().setModel(args[0]).setCtxSize(512).setThreads(1))) {
            InferenceParameters params = new InferenceParameters("Once upon a time").setNPredict(3).setNProbs(2)
                    .setTemperature(0f);
            for (LlamaOutput out : model.generate(params)) {
                System.out.println("token [" + out.text + "] probabilities " + out.probabilities);
            }
        }
        System.out.println("n_probs completed");
    }
}
