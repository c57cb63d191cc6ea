// "Launch Model": search and filters over the catalog (GET /api/v1/models: built-in models and
// custom registrations), tabs per model type, model cards with context length, licence and gated
// state; a card opens the configuration dialog (launch-form.js), each launch shows live progress
// (launch-task.js), and "Register a model" adds a custom one (register-form.js).
import { get, request } from './api.js';
import { h, replace, select, selectTab, setAttr, tablist } from './dom.js';
import { confirmDialog, errorBox, spinner, toast } from './ui.js';
import { ENGINE_LABELS, loadLaunchOptions, modelType } from './launch-options.js';
import { openLaunchForm } from './launch-form.js';
import { startLaunch } from './launch-task.js';
import { openRegisterForm } from './register-form.js';

const TYPES = ['llm', 'embedding', 'rerank'];
const ABILITIES = ['chat', 'generate', 'tools', 'vision', 'reasoning', 'embedding', 'rerank'];
let catalog = null;
let panels = null;
const filters = { q: null, ability: null, engine: null };

export function mountLaunch(page) {
  const tabsEl = h('div', { class: 'tabs', attrs: { role: 'tablist' }, i18nAttr: { 'aria-label': 'launch.tabsLabel' } });
  tabsEl.append(...TYPES.map((type, i) => tabButton(`tab-${type}`, `panel-${type}`, `launch.tab.${type}`, i === 0)));
  tablist(tabsEl, (tab) => selectTab(tabsEl, tab));
  tabsEl.addEventListener('click', (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) selectTab(tabsEl, tab);
  });
  panels = Object.fromEntries(TYPES.map((type, i) => [type, h('div', { id: `panel-${type}`, class: 'tab-panel',
    hidden: i > 0, attrs: { role: 'tabpanel', 'aria-labelledby': `tab-${type}` } })]));
  page.append(
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', { id: 'launch-title', i18n: 'launch.title' }),
        h('p', { class: 'lead', i18n: 'launch.lead' })),
      h('button', { type: 'button', id: 'register-open', class: 'btn', i18n: 'register.open',
        on: { click: () => openRegisterForm(() => load()) } })),
    h('div', { id: 'launch-tasks', class: 'tasks' }),
    filterBar(),
    tabsEl, ...Object.values(panels));
  load();
}

/** Text search and ability / engine filters; the model type is the tab. Applied as the user types. */
function filterBar() {
  filters.q = h('input', { id: 'catalog-search', class: 'input', type: 'search', autocomplete: 'off',
    i18nAttr: { 'aria-label': 'launch.search', placeholder: 'launch.searchPlaceholder' } });
  filters.ability = select([{ value: '', i18n: 'launch.anyAbility' },
    ...ABILITIES.map((a) => ({ value: a, i18n: `ability.${a}` }))]);
  filters.ability.id = 'filter-ability';
  filters.engine = select([{ value: '', i18n: 'launch.anyEngine' },
    ...Object.entries(ENGINE_LABELS).map(([value, label]) => ({ value, label }))]);
  filters.engine.id = 'filter-engine';
  setAttr(filters.ability, 'aria-label', 'launch.filterAbility');
  setAttr(filters.engine, 'aria-label', 'launch.filterEngine');
  for (const el of Object.values(filters)) {
    for (const ev of ['input', 'change']) el.addEventListener(ev, () => catalog && render());
  }
  return h('div', { class: 'filters', attrs: { role: 'search' } }, filters.q, filters.ability, filters.engine);
}

function tabButton(id, panelId, key, selected) {
  return h('button', { id, type: 'button', class: 'tab', tabIndex: selected ? 0 : -1,
    attrs: { role: 'tab', 'aria-selected': String(selected), 'aria-controls': panelId } },
  h('span', { i18n: key }), ' ', h('span', { class: 'tab-count', attrs: { 'aria-hidden': 'true' } }));
}

async function load() {
  for (const p of Object.values(panels)) {
    replace(p, h('div', { class: 'loading' }, spinner(), h('span', { i18n: 'launch.loading' })));
  }
  try {
    const data = await get('/api/v1/models');
    catalog = Array.isArray(data) ? data : (data.models || []);
  } catch (err) {
    for (const p of Object.values(panels)) {
      replace(p, errorBox(err, { titleKey: 'launch.loadFailed' }),
        h('button', { type: 'button', class: 'btn', i18n: 'common.retry', on: { click: load } }));
    }
    return;
  }
  render();
}

/** The same rule as the server's ?q=: id, name, description, licence or a source name contains the text. */
function matches(model, q) {
  const has = (v) => typeof v === 'string' && v.toLowerCase().includes(q);
  return [model.id, model.name, model.description, model.license].some(has)
    || model.sizes.some((s) => has(s.size) || has(s.hf_repo) || has(s.ollama_name) || (s.gguf && has(s.gguf.repo)));
}

function render() {
  const q = filters.q.value.trim().toLowerCase();
  const ability = filters.ability.value;
  const engine = filters.engine.value;
  const filtered = catalog.filter((m) => (!q || matches(m, q))
    && (!ability || (m.abilities || []).includes(ability)) && (!engine || m.engines.includes(engine)));
  const narrowed = Boolean(q || ability || engine);
  for (const type of TYPES) {
    const models = filtered.filter((m) => modelType(m) === type);
    document.getElementById(`tab-${type}`).querySelector('.tab-count').textContent = String(models.length);
    if (!models.length) {
      replace(panels[type], h('div', { class: 'empty' },
        h('p', { class: 'empty-title', i18n: narrowed ? 'launch.empty.filtered' : `launch.empty.${type}` }),
        h('p', { i18n: narrowed ? 'launch.empty.filteredHint' : 'launch.empty.hint' })));
      continue;
    }
    replace(panels[type], h('div', { class: 'card-grid' }, models.map((m) => modelCard(m, models))));
  }
}

function modelCard(model, sameKind) {
  const open = async () => {
    try {
      await loadLaunchOptions([model]); // the server says what each size and engine allows
    } catch (err) {
      toast('launch.optionsFailed', { msg: err.message }, 'error');
      return;
    }
    openLaunchForm(model, sameKind, (m, body) => startLaunch(m, body));
  };
  const type = modelType(model);
  const sizes = model.sizes.map((s) => s.size);
  const facts = [
    h('dt', { i18n: 'launch.sizes' }), h('dd', {}, chips(sizes)),
    h('dt', { i18n: 'launch.engines' }), h('dd', {}, chips(model.engines.map((e) => ENGINE_LABELS[e] || e))),
    h('dt', { i18n: 'launch.abilities' }), h('dd', { class: 'abilities' },
      (model.abilities || []).map((a) => h('span', { class: 'chip', i18n: `ability.${a}` }))),
    h('dt', { i18n: 'launch.context' }), h('dd', { class: 'context-length' }, model.context_length
      ? h('span', { i18n: 'launch.tokens', vars: { n: model.context_length.toLocaleString('en-US') } })
      : h('span', { class: 'muted', i18n: 'launch.notStated' })),
    h('dt', { i18n: 'launch.license' }), h('dd', { class: 'license' }, model.license
      ? h('span', { text: model.license }) : h('span', { class: 'muted', i18n: 'launch.notStated' })),
  ];
  const badges = [h('span', { class: `badge ${type === 'llm' ? 'badge-blue' : 'badge-purple'}`, i18n: `model.type.${type}` })];
  if (model.registered) badges.push(h('span', { class: 'badge badge-gray badge-custom', i18n: 'launch.custom' }));
  if (model.gated) badges.push(h('span', { class: 'badge badge-amber badge-gated', i18n: 'launch.gated' }));
  const card = h('article', { class: 'card model-card', dataset: { modelId: model.id },
    attrs: { 'aria-labelledby': `model-${model.id}-name` },
    on: { click: (e) => { if (!e.target.closest('a, button')) open(); } } },
  h('div', { class: 'card-head' },
    h('h3', { class: 'card-title', id: `model-${model.id}-name`, text: model.name || model.id }),
    h('div', { class: 'badges' }, badges)),
  h('p', { class: 'card-desc', text: model.description || '' }),
  h('dl', { class: 'facts' }, facts),
  model.gated ? h('p', { class: 'field-hint gated-hint', i18n: 'launch.gatedHint' }) : null,
  h('div', { class: 'card-actions' },
    model.official_url ? h('a', { class: 'link', href: model.official_url, target: '_blank', rel: 'noopener noreferrer',
      i18n: 'launch.officialPage' }) : h('span'),
    h('div', { class: 'card-buttons' },
      model.registered ? h('button', { type: 'button', class: 'btn btn-ghost btn-small unregister', i18n: 'register.delete',
        i18nAttr: { 'aria-label': 'register.deleteAria' }, vars: { name: model.name || model.id },
        on: { click: () => unregister(model) } }) : null,
      h('button', { type: 'button', class: 'btn btn-primary launch-open', i18n: 'launch.configure',
        i18nAttr: { 'aria-label': 'launch.configureAria' }, vars: { name: model.name || model.id },
        on: { click: open } }))));
  return card;
}

async function unregister(model) {
  const ok = await confirmDialog({ titleKey: 'register.deleteTitle', messageKey: 'register.deleteConfirm',
    vars: { name: model.name || model.id }, confirmKey: 'register.delete' });
  if (!ok) return;
  try {
    await request('DELETE', `/api/v1/models/registrations/${encodeURIComponent(model.id)}`);
    toast('register.deleted', { name: model.name || model.id });
    load();
  } catch (err) {
    toast('register.deleteFailed', { msg: err.message });
  }
}

function chips(values) {
  return values.map((v) => h('span', { class: 'chip', text: v }));
}
