// "Launch Model": catalog tabs (language / embedding models from GET /api/v1/models), a model
// card opens the configuration dialog (launch-form.js), and each launch shows live progress
// (launch-task.js).
import { get } from './api.js';
import { h, replace, selectTab, tablist } from './dom.js';
import { errorBox, spinner } from './ui.js';
import { ENGINE_LABELS, isEmbedding } from './launch-options.js';
import { openLaunchForm } from './launch-form.js';
import { startLaunch } from './launch-task.js';

let catalog = null;
let panels = null;

export function mountLaunch(page) {
  const tabsEl = h('div', { class: 'tabs', attrs: { role: 'tablist' }, i18nAttr: { 'aria-label': 'launch.tabsLabel' } });
  const llmTab = tabButton('tab-llm', 'panel-llm', 'launch.tab.llm', true);
  const embTab = tabButton('tab-embedding', 'panel-embedding', 'launch.tab.embedding', false);
  tabsEl.append(llmTab, embTab);
  tablist(tabsEl, (tab) => selectTab(tabsEl, tab));
  tabsEl.addEventListener('click', (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) selectTab(tabsEl, tab);
  });
  panels = {
    llm: h('div', { id: 'panel-llm', class: 'tab-panel', attrs: { role: 'tabpanel', 'aria-labelledby': 'tab-llm' } }),
    embedding: h('div', { id: 'panel-embedding', class: 'tab-panel', hidden: true,
      attrs: { role: 'tabpanel', 'aria-labelledby': 'tab-embedding' } }),
  };
  page.append(
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', { id: 'launch-title', i18n: 'launch.title' }),
        h('p', { class: 'lead', i18n: 'launch.lead' }))),
    h('div', { id: 'launch-tasks', class: 'tasks' }),
    tabsEl, panels.llm, panels.embedding);
  load();
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

function render() {
  const groups = { llm: catalog.filter((m) => !isEmbedding(m)), embedding: catalog.filter(isEmbedding) };
  for (const [kind, models] of Object.entries(groups)) {
    const tab = document.getElementById(kind === 'llm' ? 'tab-llm' : 'tab-embedding');
    tab.querySelector('.tab-count').textContent = String(models.length);
    if (!models.length) {
      replace(panels[kind], h('div', { class: 'empty' },
        h('p', { class: 'empty-title', i18n: kind === 'llm' ? 'launch.empty.llm' : 'launch.empty.embedding' }),
        h('p', { i18n: 'launch.empty.hint' })));
      continue;
    }
    replace(panels[kind], h('div', { class: 'card-grid' }, models.map((m) => modelCard(m, models))));
  }
}

function modelCard(model, sameKind) {
  const open = () => openLaunchForm(model, sameKind, (m, body) => startLaunch(m, body));
  const sizes = model.sizes.map((s) => s.size);
  const card = h('article', { class: 'card model-card', dataset: { modelId: model.id },
    attrs: { 'aria-labelledby': `model-${model.id}-name` },
    on: { click: (e) => { if (!e.target.closest('a, button')) open(); } } },
  h('div', { class: 'card-head' },
    h('h3', { class: 'card-title', id: `model-${model.id}-name`, text: model.name || model.id }),
    h('span', { class: `badge ${isEmbedding(model) ? 'badge-purple' : 'badge-blue'}`,
      i18n: isEmbedding(model) ? 'model.type.embedding' : 'model.type.llm' })),
  h('p', { class: 'card-desc', text: model.description || '' }),
  h('dl', { class: 'facts' },
    h('dt', { i18n: 'launch.sizes' }), h('dd', {}, chips(sizes)),
    h('dt', { i18n: 'launch.engines' }), h('dd', {}, chips(model.engines.map((e) => ENGINE_LABELS[e] || e)))),
  h('div', { class: 'card-actions' },
    model.official_url ? h('a', { class: 'link', href: model.official_url, target: '_blank', rel: 'noopener noreferrer',
      i18n: 'launch.officialPage' }) : h('span'),
    h('button', { type: 'button', class: 'btn btn-primary launch-open', i18n: 'launch.configure',
      i18nAttr: { 'aria-label': 'launch.configureAria' }, vars: { name: model.name || model.id },
      on: { click: open } })));
  return card;
}

function chips(values) {
  return values.map((v) => h('span', { class: 'chip', text: v }));
}
