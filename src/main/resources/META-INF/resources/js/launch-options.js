// Which launch options a catalog entry allows, per size and engine. Mirrors the server's
// LaunchResolver so the form only offers what will be accepted; the server still checks
// everything and its 400 message is shown if something slips through (e.g. an attached engine).

export const ENGINE_LABELS = { llamacpp: 'llama.cpp (embedded)', ollama: 'Ollama', vllm: 'vLLM', sglang: 'SGLang' };
const GGUF_QUANT = /[._-](I?Q\d(?:_[A-Z0-9]+)*|F16|BF16|F32)\.gguf$/i;
const GGUF_LABEL = /^(I?Q\d(?:_[A-Z0-9]+)*|F16|BF16|F32)$/i; // llama.cpp file types: not a vLLM/SGLang method
export const MAX_GPUS = 64;
export const MAX_REPLICAS = 16; // the server's supervisor.max_replicas has the last word

export function isEmbedding(model) {
  return model.model_type === 'embedding';
}

/** 'llm', 'embedding' or 'rerank'. */
export function modelType(model) {
  return model.model_type || 'llm';
}

/** A size's local model directory (vLLM / SGLang) or local GGUF file (llama.cpp), if registered with one. */
function localDir(size) {
  return size.local_path && !/\.gguf$/i.test(size.local_path) ? size.local_path : null;
}
function localGguf(size) {
  return size.local_path && /\.gguf$/i.test(size.local_path) ? size.local_path : null;
}

/** The engine's own list from per_engine when the catalog gives one, else the model-wide list. */
function perEngine(model, engine, key) {
  const own = model.per_engine && model.per_engine[engine] && model.per_engine[engine][key];
  return own && own.length ? own : (model[key] || []);
}

export function sizeOf(model, sizeName) {
  return model.sizes.find((s) => s.size === sizeName) || model.sizes[0];
}

/** The GGUF file's quantization label ("q4_1"), or null when the name does not say. */
export function ggufQuant(gguf) {
  const m = gguf && gguf.file ? GGUF_QUANT.exec(gguf.file) : null;
  return m ? m[1].toLowerCase() : null;
}

/** Every engine the model lists, each {engine, ok, why}: why is an i18n key when the size cannot run there. */
export function enginesFor(model, sizeName) {
  const size = sizeOf(model, sizeName);
  return model.engines.map((engine) => {
    let why = null;
    if ((engine === 'vllm' || engine === 'sglang') && !size.hf_repo && !localDir(size)) why = 'launch.why.noHfRepo';
    if (engine === 'ollama' && !size.ollama_name) why = 'launch.why.noOllamaName';
    if (engine === 'llamacpp') {
      if (isEmbedding(model)) why = 'launch.why.builtinEmbedding';
      else if (!size.gguf && !localGguf(size)) why = 'launch.why.noGguf';
    }
    return { engine, ok: !why, why };
  });
}

/**
 * What the form shows for model + size + engine:
 *   quantizations / formats: lists of values (empty: the field is not applicable and not sent);
 *   gpu: {min, max, value} or null (not applicable, not sent);
 *   replicas: {min, max} (max 1: fixed);
 *   thinking: values allowed besides "default": ['on','off'], ['off'] or [].
 */
export function optionsFor(model, sizeName, engine) {
  const size = sizeOf(model, sizeName);
  const llm = modelType(model) === 'llm';
  const quants = perEngine(model, engine, 'quantizations');
  const formats = perEngine(model, engine, 'formats');
  // the server refuses enable_thinking: true for a model whose abilities lack "reasoning"
  const think = llm ? ((model.abilities || []).includes('reasoning') ? ['on', 'off'] : ['off']) : [];
  switch (engine) {
    case 'vllm':
    case 'sglang':
      return {
        quantizations: quants.filter((q) => !GGUF_LABEL.test(q) && !(engine === 'vllm' && q.toLowerCase() === 'int8')),
        formats: formats.filter((f) => ['safetensors', 'pytorch', 'pt'].includes(f)),
        gpu: { min: 0, max: MAX_GPUS, value: 1 },
        replicas: { min: 1, max: MAX_REPLICAS },
        thinking: think,
        source: localDir(size) || size.hf_repo,
      };
    case 'ollama':
      return {
        quantizations: quants.includes('none') ? ['none'] : [],
        formats: formats.includes('gguf') ? ['gguf'] : [],
        gpu: null,
        replicas: { min: 1, max: 1 },
        thinking: think,
        source: size.ollama_name,
      };
    default: {
      const label = ggufQuant(size.gguf);
      return {
        quantizations: label && quants.map((q) => q.toLowerCase()).includes(label) && !localGguf(size) ? [label] : [],
        formats: formats.includes('gguf') ? ['gguf'] : [],
        gpu: null,
        replicas: { min: 1, max: 1 },
        thinking: llm ? ['off'] : [],
        source: localGguf(size) || (size.gguf ? (size.gguf.url || `${size.gguf.repo}/${size.gguf.file}`) : null),
      };
    }
  }
}

/** The start-stream body for the form's values; options that do not apply are left out. */
export function launchBody(model, v) {
  const opts = optionsFor(model, v.size, v.engine);
  const body = { model_id: model.id, size: v.size, engine_type: v.engine };
  if (v.quantization && opts.quantizations.includes(v.quantization)) body.quantization = v.quantization;
  if (v.format && opts.formats.includes(v.format)) body.format = v.format;
  if (opts.gpu && v.nGpu !== '' && v.nGpu !== undefined) body.n_gpu = Number(v.nGpu);
  body.replicas = Number(v.replicas || 1);
  if (v.thinking === 'on' && opts.thinking.includes('on')) body.enable_thinking = true;
  if (v.thinking === 'off' && opts.thinking.includes('off')) body.enable_thinking = false;
  if (v.engineArgs && Object.keys(v.engineArgs).length) body.engine_args = v.engineArgs;
  return body;
}
