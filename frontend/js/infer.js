// Streaming generation shared by Generate and Chat: POST with "stream": true, delta events
// appended as they arrive, a done event with finish_reason and usage. Aborting the fetch closes
// the connection, which cancels the generation on the server.
import { stream } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * Runs one streamed request. onDelta(text, reasoning) per event. Resolves with
 * {done, firstTokenMs, totalMs}; rejects with ApiError (API/stream error) or AbortError (stopped).
 */
export async function generateStream(path, body, { signal, onDelta }) {
  const started = performance.now();
  let firstTokenMs = null;
  let done = null;
  const outcome = await stream(path, { ...body, stream: true }, {
    signal,
    onEvent: (name, data) => {
      if (name === 'delta') {
        if (firstTokenMs === null) firstTokenMs = performance.now() - started;
        onDelta(data.text || '', data.reasoning || '');
      } else if (name === 'done') {
        done = data;
      }
    },
  });
  if (outcome.data) { // the server answered JSON after all
    onDelta(outcome.data.text || '', outcome.data.reasoning || '');
    done = { finish_reason: outcome.data.finish_reason, usage: outcome.data.usage };
  }
  return { done, firstTokenMs, totalMs: performance.now() - started, requestId: outcome.requestId };
}

/** "stop · 12 + 40 tokens · 35.2 tokens/s · first token 85 ms" */
export function statsLine({ done, firstTokenMs, totalMs }) {
  const parts = [];
  if (done?.finish_reason) parts.push(t('infer.finish', { reason: done.finish_reason }));
  const u = done?.usage;
  if (u) parts.push(t('infer.tokens', { prompt: u.prompt_tokens, completion: u.completion_tokens }));
  if (u && u.completion_tokens && totalMs > 0) {
    const genMs = Math.max(1, totalMs - (firstTokenMs || 0));
    parts.push(t('infer.speed', { speed: (u.completion_tokens / (genMs / 1000)).toFixed(1) }));
  }
  if (firstTokenMs !== null && firstTokenMs !== undefined) parts.push(t('infer.ttft', { ms: Math.round(firstTokenMs) }));
  parts.push(t('infer.total', { s: (totalMs / 1000).toFixed(2) }));
  return parts.join(' · ');
}

/** Elapsed-seconds counter for requests without a stream (structured output, embeddings). */
export function elapsedTicker(el) {
  const started = performance.now();
  const tick = () => { el.textContent = t('infer.elapsed', { s: ((performance.now() - started) / 1000).toFixed(1) }); };
  tick();
  const id = setInterval(tick, 100);
  return () => clearInterval(id);
}

/** The run this drawer talks to, as request fields. */
export function target(run) {
  return { run_id: run.run_id };
}

export function runButtons(runKey) {
  const go = h('button', { type: 'submit', class: 'btn btn-primary', i18n: runKey });
  const stop = h('button', { type: 'button', class: 'btn btn-danger-outline', i18n: 'infer.stop', disabled: true });
  return { go, stop, row: h('div', { class: 'buttons' }, go, stop) };
}
