package io.infercore.engine;

/**
 * Whether and which tool the model must call: {@code auto} (the model decides), {@code required}
 * (some tool), or a forced {@code function}. {@code none} never reaches an engine: the request is
 * sent without its tools instead.
 *
 * @param mode     auto or required; ignored when {@code function} is set
 * @param function the one function to call, or null
 * @param parallel whether several calls may come in one answer (OpenAI's {@code parallel_tool_calls}, default true)
 */
public record ToolChoice(String mode, String function, boolean parallel) {

    public static final ToolChoice AUTO = new ToolChoice("auto", null);

    public ToolChoice(String mode, String function) {
        this(mode, function, true);
    }

    /** This choice with {@code parallel_tool_calls} applied (null: unchanged). */
    public ToolChoice withParallel(Boolean parallelToolCalls) {
        return parallelToolCalls == null ? this : new ToolChoice(mode, function, parallelToolCalls);
    }

    public static ToolChoice function(String name) {
        return new ToolChoice("function", name);
    }

    public boolean isAuto() {
        return function == null && "auto".equals(mode);
    }
}
