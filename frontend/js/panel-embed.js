// Embeddings: embed two texts in one call; show the dimension and their cosine similarity.
import { h, field, replace } from './dom.js';
import { isAbort, post } from './api.js';
import { errorBox, spinner } from './ui.js';
import { elapsedTicker, runButtons, target } from './infer.js';

export function cosine(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

export function embedPanel(run) {
  const a = h('textarea', { class: 'input', rows: 3, id: 'emb-a', value: 'The cat sits on the mat.' });
  const b = h('textarea', { class: 'input', rows: 3, id: 'emb-b', value: 'A kitten is resting on a rug.' });
  const { go, stop, row } = runButtons('emb.run');
  go.id = 'emb-run';
  const progress = h('div', { class: 'muted stats', attrs: { role: 'status' } });
  const result = h('div', { id: 'emb-result' });
  let controller = null;
  stop.addEventListener('click', () => controller?.abort());

  async function start() {
    if (controller) return;
    for (const el of [a, b]) if (!el.value.trim()) { el.focus(); return; }
    controller = new AbortController();
    go.disabled = true;
    stop.disabled = false;
    replace(result);
    replace(progress, spinner(), h('span'));
    const stopTicker = elapsedTicker(progress.lastChild);
    try {
      const data = await post('/api/v1/llm/embed', { ...target(run), input: [a.value, b.value] }, { signal: controller.signal });
      const [va, vb] = data.embeddings;
      const sim = cosine(va, vb);
      replace(result,
        h('dl', { class: 'facts facts-grid' },
          h('div', { class: 'fact' }, h('dt', { i18n: 'emb.dimensions' }), h('dd', { id: 'emb-dim', text: String(data.dimensions ?? va.length) })),
          h('div', { class: 'fact' }, h('dt', { i18n: 'emb.cosine' }), h('dd', { id: 'emb-cosine', text: sim.toFixed(4) })),
          h('div', { class: 'fact' }, h('dt', { i18n: 'emb.model' }), h('dd', { text: `${data.model_name || ''} · ${data.engine_type || ''}` })),
          data.usage ? h('div', { class: 'fact' }, h('dt', { i18n: 'emb.tokens' }), h('dd', { text: String(data.usage.prompt_tokens) })) : null),
        h('div', { class: 'similarity' },
          h('div', { class: 'similarity-bar', attrs: { 'aria-hidden': 'true' } },
            h('div', { class: 'similarity-fill', style: `width:${Math.round(Math.max(0, sim) * 100)}%` }))),
        h('div', { class: 'field-label', i18n: 'emb.preview' }),
        h('pre', { class: 'code small', text: `A: [${va.slice(0, 6).map((x) => x.toFixed(4)).join(', ')}, …]\nB: [${vb.slice(0, 6).map((x) => x.toFixed(4)).join(', ')}, …]` }));
    } catch (err) {
      if (isAbort(err)) replace(result, h('p', { class: 'muted', i18n: 'infer.stopped' }));
      else replace(result, errorBox(err));
    } finally {
      result.scrollIntoView({ block: 'nearest' });
      stopTicker();
      replace(progress);
      controller = null;
      go.disabled = false;
      stop.disabled = true;
    }
  }

  const form = h('form', { class: 'panel-form', on: { submit: (e) => { e.preventDefault(); start(); } } },
    field('emb.textA', a), field('emb.textB', b), row);
  return {
    el: h('div', { class: 'panel' }, form, progress, result),
    dispose: () => controller?.abort(),
    focus: () => a.focus(),
  };
}
