// Structured output: a prompt and a JSON Schema (editor with samples, checked as you type); the
// result says whether the output conforms, with the validator's errors when it does not.
import { h, field, replace, select, setText } from './dom.js';
import { isAbort, post } from './api.js';
import { errorBox, spinner } from './ui.js';
import { elapsedTicker, runButtons, target } from './infer.js';

export const SAMPLES = {
  character: {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 16 },
      age: { type: 'integer' },
      friendly: { type: 'boolean' },
    },
    required: ['name', 'age', 'friendly'],
  },
  city: { city: 'string', population: 'number' },
  mood: {
    type: 'object',
    properties: { mood: { enum: ['happy', 'sad', 'curious'] }, tags: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 3 } },
    required: ['mood'],
  },
};

export function structuredPanel(run, params) {
  const prompt = h('textarea', { class: 'input', rows: 3, id: 'so-prompt', value: 'Describe a character from a children\'s story as JSON.' });
  const sample = select([
    { value: 'character', i18n: 'so.sample.character' },
    { value: 'city', i18n: 'so.sample.city' },
    { value: 'mood', i18n: 'so.sample.mood' },
  ], 'character');
  sample.id = 'so-sample';
  const insert = h('button', { type: 'button', class: 'btn btn-small', id: 'so-insert', i18n: 'so.insert' });
  const schema = h('textarea', { class: 'input mono', rows: 10, id: 'so-schema', spellcheck: false,
    value: JSON.stringify(SAMPLES.character, null, 2) });
  const check = h('div', { class: 'schema-check', id: 'so-check', attrs: { 'aria-live': 'polite' } });
  const { go, stop, row } = runButtons('so.run');
  go.id = 'so-run';
  const progress = h('div', { class: 'muted stats', id: 'so-progress', attrs: { role: 'status' } });
  const result = h('div', { class: 'so-result', id: 'so-result' });
  let controller = null;

  insert.addEventListener('click', () => {
    schema.value = JSON.stringify(SAMPLES[sample.value], null, 2);
    checkSchema();
    schema.focus();
  });
  schema.addEventListener('input', checkSchema);
  stop.addEventListener('click', () => controller?.abort());

  function parseSchema() {
    try {
      const value = JSON.parse(schema.value);
      if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'so.notObject' };
      return { value };
    } catch (err) {
      return { error: 'so.badJson', detail: err.message };
    }
  }

  function checkSchema() {
    const parsed = parseSchema();
    schema.setAttribute('aria-invalid', String(Boolean(parsed.error)));
    check.className = `schema-check ${parsed.error ? 'bad' : 'good'}`;
    setText(check, parsed.error || 'so.schemaOk', { detail: parsed.detail || '' });
    return parsed;
  }

  async function start() {
    if (controller) return;
    const parsed = checkSchema();
    if (parsed.error) { schema.focus(); return; }
    const p = params.values({ withStop: false });
    if (!p) return;
    controller = new AbortController();
    go.disabled = true;
    stop.disabled = false;
    replace(result);
    replace(progress, spinner(), h('span'));
    const stopTicker = elapsedTicker(progress.lastChild);
    try {
      const data = await post('/api/v1/llm/structured-generate',
        { ...target(run), prompt: prompt.value, schema: parsed.value, ...p }, { signal: controller.signal });
      showResult(data);
      result.scrollIntoView({ block: 'nearest' });
    } catch (err) {
      if (isAbort(err)) replace(result, h('p', { class: 'muted', i18n: 'infer.stopped' }));
      else replace(result, errorBox(err));
      result.scrollIntoView({ block: 'nearest' });
    } finally {
      stopTicker();
      replace(progress);
      controller = null;
      go.disabled = false;
      stop.disabled = true;
    }
  }

  function showResult(data) {
    const errors = data.errors || [];
    replace(result,
      h('div', { class: 'result-head' },
        h('span', { class: `badge ${data.valid ? 'badge-green' : 'badge-red'}`, id: 'so-valid', dataset: { valid: String(data.valid) },
          i18n: data.valid ? 'so.valid' : 'so.invalid' }),
        h('span', { class: 'muted', i18n: 'so.attempts', vars: { n: data.attempts ?? 1 } })),
      errors.length ? h('div', { class: 'alert alert-warn' },
        h('strong', { class: 'alert-title', i18n: 'so.errors' }),
        h('ul', { class: 'errors', id: 'so-errors' }, errors.map((e) => h('li', { text: e })))) : null,
      h('div', { class: 'field-label', i18n: 'so.json' }),
      h('pre', { class: 'code', id: 'so-json', text: data.json != null ? JSON.stringify(data.json, null, 2) : '—' }),
      h('details', {}, h('summary', { i18n: 'so.raw' }), h('pre', { class: 'code small', text: data.text ?? '' })));
  }

  const form = h('form', { class: 'panel-form', on: { submit: (e) => { e.preventDefault(); start(); } } },
    field('so.prompt', prompt),
    h('div', { class: 'schema-tools' }, field('so.sampleLabel', sample), insert),
    field('so.schema', schema, 'so.schemaHint'),
    check, row);
  checkSchema();
  return {
    el: h('div', { class: 'panel' }, form, progress, result),
    dispose: () => controller?.abort(),
    focus: () => prompt.focus(),
  };
}
