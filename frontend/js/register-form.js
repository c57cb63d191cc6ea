// "Register a model": a custom catalog entry (POST /api/v1/models/registrations) from one source
// (Hugging Face repo, local model directory or .gguf file, GGUF URL with its sha256, Ollama name)
// and its abilities. The server validates it and answers with the JSON path of any mistake.
import { post } from './api.js';
import { h, field, replace, select, setText, uid } from './dom.js';
import { errorBox, modal, toast } from './ui.js';

const SOURCES = ['hf_repo', 'local_path', 'gguf_url', 'ollama_name'];
const ABILITIES = ['chat', 'generate', 'tools', 'vision', 'reasoning', 'embedding', 'rerank'];
const DEFAULT_ABILITIES = { llm: ['chat', 'generate'], embedding: ['embedding'], rerank: ['rerank'] };

/** Opens the dialog; onRegistered() runs after the server accepted the model. */
export function openRegisterForm(onRegistered) {
  const els = {
    id: h('input', { class: 'input', required: true, autocomplete: 'off', placeholder: 'my-model' }),
    name: h('input', { class: 'input', autocomplete: 'off' }),
    type: select([{ value: 'llm', i18n: 'model.type.llm' }, { value: 'embedding', i18n: 'model.type.embedding' },
      { value: 'rerank', i18n: 'model.type.rerank' }], 'llm'),
    source: select(SOURCES.map((s) => ({ value: s, i18n: `register.source.${s}` })), 'hf_repo'),
    value: h('input', { class: 'input mono', autocomplete: 'off', required: true }),
    sha256: h('input', { class: 'input mono', autocomplete: 'off', maxLength: 64 }),
    size: h('input', { class: 'input', autocomplete: 'off', value: 'default' }),
    context: h('input', { class: 'input', type: 'number', min: 1, step: 1, inputMode: 'numeric' }),
    license: h('input', { class: 'input', autocomplete: 'off', placeholder: 'apache-2.0' }),
  };
  for (const [name, el] of Object.entries(els)) el.name = name;
  const boxes = ABILITIES.map((a) => h('input', { type: 'checkbox', value: a, name: 'abilities', id: uid('ab') }));
  const abilities = h('fieldset', { class: 'field span-2 abilities-set' },
    h('legend', { class: 'field-label', i18n: 'register.abilities' }),
    boxes.map((b) => h('label', { class: 'check', attrs: { for: b.id } }, b, ' ', h('span', { i18n: `ability.${b.value}` }))));
  const shaField = field('register.sha256', els.sha256, 'register.sha256Hint');
  const valueField = field('register.value', els.value, 'register.valueHint.hf_repo');
  const errorArea = h('div', { class: 'span-2', id: 'register-error' });
  const syncSource = () => {
    const kind = els.source.value;
    shaField.hidden = kind !== 'gguf_url';
    setText(valueField.querySelector('.field-hint'), `register.valueHint.${kind}`);
  };
  const syncType = () => {
    for (const b of boxes) b.checked = DEFAULT_ABILITIES[els.type.value].includes(b.value);
  };
  els.source.addEventListener('change', syncSource);
  els.type.addEventListener('change', syncType);
  const form = h('form', { class: 'form-grid', id: 'register-form', on: { submit: (e) => { e.preventDefault(); submit(); } } },
    field('register.id', els.id, 'register.idHint'),
    field('register.name', els.name),
    field('register.type', els.type),
    field('register.size', els.size),
    field('register.sourceKind', els.source),
    valueField,
    shaField,
    field('register.context', els.context),
    field('register.license', els.license),
    abilities,
    errorArea,
    h('button', { type: 'submit', hidden: true, tabIndex: -1 }));
  syncSource();
  syncType();

  let closeDialog = null;
  async function submit(button) {
    replace(errorArea);
    const body = entry(els, boxes);
    if (button) button.disabled = true;
    try {
      const model = await post('/api/v1/models/registrations', body);
      toast('register.done', { name: model.name || model.id });
      closeDialog(true);
      onRegistered(model);
    } catch (err) {
      replace(errorArea, errorBox(err, { titleKey: 'register.failed' }));
    } finally {
      if (button) button.disabled = false;
    }
  }
  const { close } = modal({
    titleKey: 'register.title',
    className: 'dialog-wide',
    content: [h('p', { class: 'lead', i18n: 'register.lead' }), form],
    actions: [
      { i18n: 'common.cancel', onClick: (c) => c(null) },
      { i18n: 'register.submit', kind: 'primary', id: 'register-submit', onClick: (c, b) => submit(b) },
    ],
  });
  closeDialog = close;
  els.id.focus();
}

/** The catalog entry the form describes; empty optional fields are left out. */
export function entry(els, boxes) {
  const size = { size: els.size.value.trim() || 'default' };
  const value = els.value.value.trim();
  switch (els.source.value) {
    case 'gguf_url': size.gguf = { url: value, sha256: els.sha256.value.trim() }; break;
    default: size[els.source.value] = value;
  }
  const body = { id: els.id.value.trim(), model_type: els.type.value, sizes: [size],
    abilities: boxes.filter((b) => b.checked).map((b) => b.value) };
  if (els.name.value.trim()) body.name = els.name.value.trim();
  if (els.context.value) body.context_length = Number(els.context.value);
  if (els.license.value.trim()) body.license = els.license.value.trim();
  return body;
}
