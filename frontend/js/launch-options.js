// Which launch options a catalog entry allows, per size and engine, as the server's engine
// launchers rule them: GET /api/v1/models/{id}/launch-options, fetched once per model before the
// form opens (loadLaunchOptions). The form only offers what will be accepted; the server still
// checks everything and its 400 message is shown if something slips through.
import { get } from './api.js';

export const ENGINE_LABELS = { llamacpp: 'llama.cpp (embedded)', ollama: 'Ollama', vllm: 'vLLM', sglang: 'SGLang' };

/** The server's answer per model id: {size: [{engine, ok, why, quantizations, formats, gpu, replicas, thinking, source, engine_args}]}. */
const loaded = new Map();

/** The server's codes for a size an engine cannot run, as message keys. */
const WHY = {
  no_hf_repo: 'launch.why.noHfRepo',
  no_ollama_name: 'launch.why.noOllamaName',
  no_gguf: 'launch.why.noGguf',
  builtin_embedding: 'launch.why.builtinEmbedding',
  not_launchable: 'launch.why.notLaunchable',
};

/** Fetches (once) the launch options of each model; resolves when all are known. */
export async function loadLaunchOptions(models) {
  await Promise.all(models.filter((m) => !loaded.has(m.id)).map(async (m) => {
    loaded.set(m.id, await get(`/api/v1/models/${encodeURIComponent(m.id)}/launch-options`));
  }));
}

export function isEmbedding(model) {
  return model.model_type === 'embedding';
}

/** 'llm', 'embedding' or 'rerank'. */
export function modelType(model) {
  return model.model_type || 'llm';
}

export function sizeOf(model, sizeName) {
  return model.sizes.find((s) => s.size === sizeName) || model.sizes[0];
}

function optionsOf(model, sizeName) {
  const bySize = loaded.get(model.id) || {};
  return bySize[sizeOf(model, sizeName).size] || [];
}

/** Every engine the model lists, each {engine, ok, why}: why is an i18n key when the size cannot run there. */
export function enginesFor(model, sizeName) {
  return optionsOf(model, sizeName).map((o) => ({ engine: o.engine, ok: o.ok, why: o.ok ? null : (WHY[o.why] || o.why) }));
}

/**
 * What the form shows for model + size + engine, as the server said:
 *   quantizations / formats: lists of values (empty: the field is not applicable and not sent);
 *   gpu: {min, max, value} or null (not applicable, not sent);
 *   replicas: {min, max} (max 1: fixed);
 *   thinking: values allowed besides "default": ['on','off'], ['off'] or [];
 *   source: what the engine would load; engineArgs: {key: kind} it takes.
 */
export function optionsFor(model, sizeName, engine) {
  const o = optionsOf(model, sizeName).find((x) => x.engine === engine);
  if (!o) return { quantizations: [], formats: [], gpu: null, replicas: { min: 1, max: 1 }, thinking: [], source: null, engineArgs: {} };
  return {
    quantizations: o.quantizations, formats: o.formats, gpu: o.gpu, replicas: o.replicas,
    thinking: o.thinking, source: o.source, engineArgs: o.engine_args || {},
  };
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
