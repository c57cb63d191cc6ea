// The service's /api/v1 API: envelopes {request_id, code, msg, data}, SSE streams, and API keys.
// A 401 asks the user for a key (see setAuthPrompt) and retries with "Authorization: Bearer".
import { readSse } from './sse.js';
import { t } from './i18n.js';

const KEY_STORAGE = 'infercore.apiKey';
let authPrompt = null;
let pendingPrompt = null;

/** A failed call, with what the user needs to report it: HTTP status and request_id. */
export class ApiError extends Error {
  constructor(message, { status = 0, requestId = null, kind = 'http' } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.requestId = requestId;
    this.kind = kind; // http | network | stream
  }
}

export function isAbort(err) {
  return err && (err.name === 'AbortError' || err.kind === 'aborted');
}

export function apiKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return '';
  }
}

export function setApiKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key); else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // storage unavailable: the key is not remembered
  }
}

/** fn(rejected: boolean) → Promise<string|null>: asks for a key; null means the user gave up. */
export function setAuthPrompt(fn) {
  authPrompt = fn;
}

async function askForKey(rejected) {
  if (!authPrompt) return null;
  // several calls failing at once share one dialog
  pendingPrompt = pendingPrompt || authPrompt(rejected).finally(() => { pendingPrompt = null; });
  const key = await pendingPrompt;
  if (key) setApiKey(key);
  return key;
}

export async function send(method, path, body, { signal, accept = 'application/json' } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    // "*/*" too: the /api/v1 resources declare text/plain and set the real type per reply, so a
    // lone "application/json" would be refused with 406.
    const headers = { Accept: `${accept}, */*;q=0.1` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const key = apiKey();
    if (key) headers.Authorization = `Bearer ${key}`;
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new ApiError(t('error.network'), { kind: 'network' });
    }
    if (res.status === 401 && attempt < 3) {
      const next = await askForKey(Boolean(key));
      if (next) continue;
    }
    return res;
  }
}

/** The error a non-2xx response describes: the envelope's msg, OpenAI's error.message, or the status. */
export async function errorFrom(res) {
  const headerId = res.headers.get('X-Request-Id');
  let text = '';
  try {
    text = await res.text();
  } catch {
    // body unreadable: the status is all we have
  }
  let msg = null;
  let requestId = headerId;
  try {
    const json = JSON.parse(text);
    msg = json.msg ?? json.error?.message ?? json.message ?? null;
    requestId = json.request_id ?? requestId;
  } catch {
    msg = text && text.length < 300 && !text.trimStart().startsWith('<') ? text.trim() : null;
  }
  if (res.status === 401) msg = `${t('error.unauthorized')}${msg ? ` (${msg})` : ''}`;
  return new ApiError(msg || t('error.status', { status: res.status }), { status: res.status, requestId });
}

/** A JSON call: resolves to the envelope's data, rejects with ApiError. */
export async function request(method, path, body, opts = {}) {
  const res = await send(method, path, body, opts);
  if (!res.ok) throw await errorFrom(res);
  let json;
  try {
    json = await res.json();
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(t('error.badJson'), { status: res.status, requestId: res.headers.get('X-Request-Id') });
  }
  if (json && typeof json === 'object' && 'code' in json && json.code >= 400) {
    throw new ApiError(json.msg, { status: json.code, requestId: json.request_id });
  }
  return json && typeof json === 'object' && 'data' in json ? json.data : json;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body, opts) => request('POST', path, body, opts);

/**
 * A POST answered with SSE. onEvent(name, data) gets every event with its JSON data parsed;
 * an `error` event rejects with ApiError (code, msg, request_id from the event). Resolves with
 * {events: names seen, requestId}. A JSON reply (no stream) resolves with {data}.
 */
export async function stream(path, body, { signal, onEvent }) {
  const res = await send('POST', path, body, { signal, accept: 'text/event-stream' });
  if (!res.ok) throw await errorFrom(res);
  const requestId = res.headers.get('X-Request-Id');
  if (!(res.headers.get('Content-Type') || '').includes('text/event-stream')) {
    const json = await res.json();
    return { data: json.data ?? json, requestId, events: [] };
  }
  const seen = [];
  let failure = null;
  await readSse(res, (name, raw) => {
    let data = raw;
    try {
      data = JSON.parse(raw);
    } catch {
      // not JSON: pass the text on
    }
    seen.push(name);
    if (name === 'error') {
      const msg = (data && (data.msg || data.message)) || String(raw);
      failure = new ApiError(msg, { status: data?.code || 0, requestId: data?.request_id || requestId, kind: 'stream' });
      failure.data = data;
    }
    onEvent(name, data);
  });
  if (failure) throw failure;
  return { events: seen, requestId };
}
