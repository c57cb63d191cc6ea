// The APIs the drawer's chat can go through: infercore's own /api/v1 and the compatible
// routes the service also serves (OpenAI chat, OpenAI Responses, Anthropic Messages, Ollama).
// Each client turns the chat (messages + sampling parameters) into its API's request and reads
// back the reply text, streamed or whole, and its API's error shape.
import { ApiError, isAbort, post, send } from './api.js';
import { readSse } from './sse.js';
import { generateStream } from './infer.js';
import { t } from './i18n.js';

const STORAGE = 'infercore.chatApi';

/** value → label (API names are not translated). */
export const CHAT_APIS = [
  { value: 'infercore', label: 'infercore /api/v1' },
  { value: 'openai', label: 'OpenAI chat' },
  { value: 'responses', label: 'OpenAI Responses' },
  { value: 'anthropic', label: 'Anthropic Messages' },
  { value: 'ollama', label: 'Ollama' },
];

export function savedChatApi() {
  try {
    const v = localStorage.getItem(STORAGE);
    return CHAT_APIS.some((a) => a.value === v) ? v : 'infercore';
  } catch {
    return 'infercore';
  }
}

export function saveChatApi(value) {
  try {
    localStorage.setItem(STORAGE, value);
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
}

/** The message of any of the APIs' error bodies: envelope msg, {error:{message}}, {error:"..."}. */
function messageOf(json) {
  if (!json || typeof json !== 'object') return null;
  if (typeof json.error === 'string') return json.error; // Ollama
  return json.msg ?? json.error?.message ?? json.response?.error?.message ?? json.message ?? null;
}

async function failure(res) {
  const text = await res.text().catch(() => '');
  let msg = null;
  let requestId = res.headers.get('X-Request-Id');
  try {
    const json = JSON.parse(text);
    msg = messageOf(json);
    requestId = json.request_id ?? requestId;
  } catch {
    msg = text && text.length < 300 && !text.trimStart().startsWith('<') ? text.trim() : null;
  }
  return new ApiError(msg || t('error.status', { status: res.status }), { status: res.status, requestId });
}

const split = (messages) => ({
  system: messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n'),
  turns: messages.filter((m) => m.role !== 'system'),
});

/** Per API: path, request body, the text of a whole reply, and the text of one stream event. */
const CLIENTS = {
  openai: {
    path: '/v1/chat/completions',
    body: (model, messages, p) => ({ model, messages, ...p }),
    whole: (j) => j.choices?.[0]?.message?.content || '',
    event: (name, d) => (d === '[DONE]' ? '' : d?.choices?.[0]?.delta?.content || ''),
    failed: (name, d) => (d && d.error ? messageOf(d) : null),
  },
  responses: {
    path: '/v1/responses',
    body: (model, messages, p) => {
      const { system, turns } = split(messages);
      const body = { model, input: turns, max_output_tokens: p.max_tokens, temperature: p.temperature, top_p: p.top_p };
      if (system) body.instructions = system;
      return body;
    },
    whole: (j) => j.output_text ?? (j.output || []).flatMap((o) => o.content || [])
      .filter((c) => c.type === 'output_text').map((c) => c.text).join(''),
    event: (name, d) => (name === 'response.output_text.delta' ? d.delta || '' : ''),
    failed: (name, d) => (name === 'error' || name === 'response.failed' ? messageOf(d) || name : null),
  },
  anthropic: {
    path: '/v1/messages',
    body: (model, messages, p) => {
      const { system, turns } = split(messages);
      const body = { model, messages: turns, max_tokens: p.max_tokens, temperature: p.temperature, top_p: p.top_p };
      if (p.stop) body.stop_sequences = p.stop;
      if (system) body.system = system;
      return body;
    },
    whole: (j) => (j.content || []).filter((c) => c.type === 'text').map((c) => c.text).join(''),
    event: (name, d) => (name === 'content_block_delta' ? d.delta?.text || '' : ''),
    failed: (name, d) => (name === 'error' ? messageOf(d) || name : null),
  },
  ollama: {
    path: '/api/chat',
    body: (model, messages, p) => ({ model, messages,
      options: { num_predict: p.max_tokens, temperature: p.temperature, top_p: p.top_p, ...(p.stop ? { stop: p.stop } : {}) } }),
    whole: (j) => j.message?.content || '',
    event: (name, d) => d?.message?.content || '',
    failed: (name, d) => (d && d.error ? messageOf(d) : null),
  },
};

/** Reads an NDJSON body (Ollama), calling onLine(json) per line. */
async function readNdjson(res, onLine) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  const flush = (all) => {
    const lines = buffer.split('\n');
    buffer = all ? '' : lines.pop();
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line));
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    flush(false);
  }
  buffer += decoder.decode();
  flush(true);
}

/**
 * Sends one chat turn through `api`. onDelta(text, reasoning) gets the reply as it arrives (once,
 * whole, when not streaming). Resolves with {done, firstTokenMs, totalMs, requestId} like
 * generateStream; rejects with ApiError in the API's own words, or AbortError.
 */
export async function chatVia(api, run, messages, params, { stream, signal, onDelta }) {
  if (api === 'infercore' || !CLIENTS[api]) {
    const body = { run_id: run.run_id, messages, ...params };
    if (stream) return generateStream('/api/v1/llm/chat', body, { signal, onDelta });
    const started = performance.now();
    const data = await post('/api/v1/llm/chat', { ...body, stream: false }, { signal });
    onDelta(data.text || '', data.reasoning || '');
    return { done: { finish_reason: data.finish_reason, usage: data.usage }, firstTokenMs: null,
      totalMs: performance.now() - started };
  }
  const client = CLIENTS[api];
  const started = performance.now();
  let firstTokenMs = null;
  // the run id routes to this very run on every compatible API (see ModelRouter)
  const res = await send('POST', client.path, { ...client.body(run.run_id, messages, params), stream: Boolean(stream) },
    { signal, accept: api === 'ollama' ? 'application/x-ndjson' : stream ? 'text/event-stream' : 'application/json' });
  if (!res.ok) throw await failure(res);
  const requestId = res.headers.get('X-Request-Id');
  const type = res.headers.get('Content-Type') || '';
  if (!stream || !(type.includes('text/event-stream') || type.includes('ndjson'))) {
    const json = await res.json();
    const bad = client.failed('', json);
    if (bad) throw new ApiError(bad, { status: res.status, requestId });
    onDelta(client.whole(json), '');
    return { done: null, firstTokenMs: null, totalMs: performance.now() - started, requestId };
  }
  let error = null;
  const handle = (name, data) => {
    const bad = client.failed(name, data);
    if (bad) { error = error || new ApiError(bad, { requestId, kind: 'stream' }); return; }
    const text = client.event(name, data);
    if (text) {
      if (firstTokenMs === null) firstTokenMs = performance.now() - started;
      onDelta(text, '');
    }
  };
  try {
    if (api === 'ollama') await readNdjson(res, (json) => handle('', json));
    else {
      await readSse(res, (name, raw) => {
        let data = raw;
        try { data = JSON.parse(raw); } catch { /* "[DONE]" and other plain text */ }
        handle(name, data);
      });
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    throw err instanceof ApiError ? err : new ApiError(err.message, { requestId, kind: 'stream' });
  }
  if (error) throw error;
  return { done: null, firstTokenMs, totalMs: performance.now() - started, requestId };
}
