// The configuration dialog: model → size → engine → quantization / format, GPUs, replicas,
// thinking mode and engine arguments; each choice narrows the next from the catalog.
import { h, field, select, setOptions, setText, uid } from './dom.js';
import { t } from './i18n.js';
import { modal, toast } from './ui.js';
import { ENGINE_LABELS, enginesFor, launchBody, loadLaunchOptions, modelType, optionsFor } from './launch-options.js';

/** Opens the dialog for model; onLaunch(model, body) is called with the start-stream body. */
export function openLaunchForm(model, sameKind, onLaunch) {
  const els = {
    model: select(sameKind.map((m) => ({ value: m.id, label: m.name || m.id })), model.id),
    size: h('select', { class: 'input' }),
    engine: h('select', { class: 'input' }),
    quantization: h('select', { class: 'input' }),
    format: h('select', { class: 'input' }),
    nGpu: h('input', { class: 'input', type: 'number', min: 0, step: 1, inputMode: 'numeric' }),
    replicas: h('input', { class: 'input', type: 'number', min: 1, step: 1, value: '1', inputMode: 'numeric' }),
    thinking: h('select', { class: 'input' }),
    engineArgs: h('textarea', { class: 'input mono', rows: 3, spellcheck: false,
      placeholder: '{"max_model_len": 4096}' }),
  };
  for (const [name, el] of Object.entries(els)) el.name = name;
  const hints = {
    engine: h('div', { class: 'field-hint', id: uid('hint') }),
    quantization: h('div', { class: 'field-hint', id: uid('hint') }),
    gpu: h('div', { class: 'field-hint', id: uid('hint') }),
    replicas: h('div', { class: 'field-hint', id: uid('hint') }),
  };
  els.engine.setAttribute('aria-describedby', hints.engine.id);
  els.quantization.setAttribute('aria-describedby', hints.quantization.id);
  els.nGpu.setAttribute('aria-describedby', hints.gpu.id);
  els.replicas.setAttribute('aria-describedby', hints.replicas.id);

  const wrap = {};
  const fieldWith = (key, labelKey, hint) => {
    wrap[key] = field(labelKey, els[key]);
    if (hint) wrap[key].append(hint);
    return wrap[key];
  };
  const source = h('code', { class: 'source' });
  const preview = h('pre', { class: 'code small', id: 'launch-preview' });
  const argsError = h('div', { class: 'field-error', attrs: { role: 'alert' } });
  const form = h('form', { class: 'form-grid', id: 'launch-form', on: { submit: (e) => { e.preventDefault(); submit(); } } },
    fieldWith('model', 'form.model'),
    fieldWith('size', 'form.size'),
    fieldWith('engine', 'form.engine', hints.engine),
    fieldWith('quantization', 'form.quantization', hints.quantization),
    fieldWith('format', 'form.format'),
    fieldWith('nGpu', 'form.gpus', hints.gpu),
    fieldWith('replicas', 'form.replicas', hints.replicas),
    fieldWith('thinking', 'form.thinking'),
    h('div', { class: 'field span-2 source-line' }, h('span', { class: 'field-label', i18n: 'form.source' }), source),
    h('details', { class: 'span-2 advanced' },
      h('summary', { i18n: 'form.advanced' }),
      field('form.engineArgs', els.engineArgs, 'form.engineArgsHint'),
      argsError,
      h('div', { class: 'field-label', i18n: 'form.requestBody' }),
      preview),
    h('button', { type: 'submit', hidden: true, tabIndex: -1 }));

  let current = model;
  const m = modal({
    titleKey: 'form.title',
    titleVars: { name: model.name || model.id },
    className: 'dialog-wide',
    content: form,
    actions: [
      { i18n: 'common.cancel', onClick: (close) => close(null) },
      { i18n: 'form.launch', kind: 'primary', id: 'launch-submit', onClick: () => submit() },
    ],
  });

  function values() {
    return {
      size: els.size.value, engine: els.engine.value, quantization: els.quantization.value,
      format: els.format.value, nGpu: els.nGpu.value, replicas: els.replicas.value,
      thinking: els.thinking.value, engineArgs: parseArgs(),
    };
  }

  function parseArgs() {
    const text = els.engineArgs.value.trim();
    if (!text) return {};
    try {
      const v = JSON.parse(text);
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(t('form.engineArgsObject'));
      return v;
    } catch (err) {
      return { __error: err.message };
    }
  }

  async function onModel() {
    const chosen = sameKind.find((x) => x.id === els.model.value) || model;
    try {
      await loadLaunchOptions([chosen]);
    } catch (err) {
      toast('launch.optionsFailed', { msg: err.message }, 'error');
      els.model.value = current.id;
      return;
    }
    current = chosen;
    setText(m.titleEl, 'form.title', { name: current.name || current.id });
    setOptions(els.size, current.sizes.map((s) => ({ value: s.size })));
    onSize();
  }

  function onSize() {
    const engines = enginesFor(current, els.size.value);
    const keep = els.engine.value;
    setOptions(els.engine, engines.map((e) => ({
      value: e.engine,
      label: e.ok ? ENGINE_LABELS[e.engine] || e.engine : `${ENGINE_LABELS[e.engine] || e.engine} — ${t(e.why)}`,
    })));
    [...els.engine.options].forEach((o, i) => { o.disabled = !engines[i].ok; });
    const usable = engines.filter((e) => e.ok).map((e) => e.engine);
    els.engine.value = usable.includes(keep) ? keep : (usable[0] || '');
    setText(hints.engine, usable.length ? 'form.engineHint' : 'form.noEngine');
    onEngine();
  }

  function onEngine() {
    const engine = els.engine.value;
    const o = engine ? optionsFor(current, els.size.value, engine) : null;
    const q = o ? o.quantizations : [];
    const keepQ = q.includes(els.quantization.value) ? els.quantization.value : (q.includes('none') ? 'none' : q[0]);
    setOptions(els.quantization, q.map((v) => ({ value: v })), keepQ);
    show('quantization', q.length > 0);
    setText(hints.quantization, engine === 'ollama' ? 'form.quantOllama' : engine === 'llamacpp' ? 'form.quantGguf' : 'form.quantHint');
    const f = o ? o.formats : [];
    setOptions(els.format, [{ value: '', i18n: 'form.engineDefault' }, ...f.map((v) => ({ value: v }))], els.format.value);
    show('format', f.length > 0);
    show('nGpu', Boolean(o && o.gpu));
    if (o && o.gpu) {
      els.nGpu.max = o.gpu.max;
      if (els.nGpu.value === '') els.nGpu.value = String(o.gpu.value);
      setText(hints.gpu, 'form.gpuHint');
    }
    const maxReplicas = o ? o.replicas.max : 1;
    els.replicas.max = maxReplicas;
    els.replicas.disabled = maxReplicas <= 1;
    if (maxReplicas <= 1) els.replicas.value = '1';
    setText(hints.replicas, maxReplicas <= 1 ? 'form.replicasFixed' : 'form.replicasHint', { engine: ENGINE_LABELS[engine] || engine });
    const th = o ? o.thinking : [];
    setOptions(els.thinking, [{ value: '', i18n: 'form.thinkingDefault' },
      ...th.map((v) => ({ value: v, i18n: v === 'on' ? 'form.thinkingOn' : 'form.thinkingOff' }))], els.thinking.value);
    show('thinking', modelType(current) === 'llm');
    source.textContent = (o && o.source) || '—';
    updatePreview();
  }

  function show(key, on) {
    wrap[key].hidden = !on;
  }

  function updatePreview() {
    const v = values();
    const args = v.engineArgs.__error;
    argsError.textContent = args ? t('form.engineArgsInvalid', { error: args }) : '';
    els.engineArgs.setAttribute('aria-invalid', String(Boolean(args)));
    preview.textContent = JSON.stringify(launchBody(current, { ...v, engineArgs: args ? {} : v.engineArgs }), null, 2);
  }

  function submit() {
    const v = values();
    if (!v.engine) { els.engine.focus(); return; }
    if (v.engineArgs.__error) {
      form.querySelector('details.advanced').open = true;
      updatePreview();
      els.engineArgs.focus();
      return;
    }
    for (const input of [els.nGpu, els.replicas]) {
      if (!input.closest('.field').hidden && !input.checkValidity()) { input.reportValidity(); return; }
    }
    const body = launchBody(current, v);
    m.close(body);
    onLaunch(current, body);
  }

  els.model.addEventListener('change', onModel);
  els.size.addEventListener('change', onSize);
  els.engine.addEventListener('change', onEngine);
  form.addEventListener('input', updatePreview);
  form.addEventListener('change', updatePreview);
  onModel();
  els.model.focus();
}
