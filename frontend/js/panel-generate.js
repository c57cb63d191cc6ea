// Generate: one prompt, the continuation streamed in as it is produced.
import { h, field, replace, setText } from './dom.js';
import { isAbort } from './api.js';
import { errorBox } from './ui.js';
import { generateStream, runButtons, statsLine, target } from './infer.js';

export function generatePanel(run, params) {
  const prompt = h('textarea', { class: 'input', rows: 4, id: 'gen-prompt', value: 'Once upon a time' });
  const { go, stop, row } = runButtons('gen.run');
  const output = h('div', { class: 'output', id: 'gen-output', attrs: { 'aria-live': 'off' } });
  const reasoning = h('details', { class: 'reasoning', hidden: true }, h('summary', { i18n: 'infer.reasoning' }), h('div', { class: 'reasoning-text' }));
  const status = h('div', { class: 'muted stats', id: 'gen-status', attrs: { role: 'status' } });
  const error = h('div');
  let controller = null;

  const form = h('form', { class: 'panel-form', on: { submit: (e) => { e.preventDefault(); start(); } } },
    field('gen.prompt', prompt, 'gen.promptHint'), row);
  prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); start(); }
  });
  stop.addEventListener('click', () => controller?.abort());

  async function start() {
    if (controller) return;
    const p = params.values();
    if (!p) return;
    if (!prompt.value.trim()) { prompt.focus(); return; }
    controller = new AbortController();
    go.disabled = true;
    stop.disabled = false;
    replace(error);
    output.textContent = '';
    output.classList.add('streaming');
    reasoning.hidden = true;
    reasoning.lastChild.textContent = '';
    setText(status, 'infer.generating');
    try {
      const result = await generateStream('/api/v1/llm/generate', { ...target(run), prompt: prompt.value, ...p }, {
        signal: controller.signal,
        onDelta: (text, think) => {
          if (think) { reasoning.hidden = false; reasoning.lastChild.textContent += think; }
          if (text) output.textContent += text;
        },
      });
      delete status.dataset.i18n;
      status.textContent = statsLine(result);
    } catch (err) {
      if (isAbort(err)) setText(status, 'infer.stopped');
      else {
        status.textContent = '';
        delete status.dataset.i18n;
        replace(error, errorBox(err));
        error.scrollIntoView({ block: 'nearest' });
      }
    } finally {
      output.classList.remove('streaming');
      controller = null;
      go.disabled = false;
      stop.disabled = true;
      if (document.activeElement === stop || document.activeElement === document.body) go.focus();
    }
  }

  return {
    el: h('div', { class: 'panel' }, form, error, h('div', { class: 'field-label', i18n: 'infer.output' }), reasoning, output, status),
    dispose: () => controller?.abort(),
    focus: () => prompt.focus(),
  };
}
