// The inference drawer for one run: Generate, Chat and Structured Output for language models,
// Embeddings for embedding models. A modal <dialog> sliding in from the right: Escape or the
// close button closes it and aborts whatever is still running.
import { h, selectTab, tablist } from './dom.js';
import { ENGINE_LABELS } from './launch-options.js';
import { refocus } from './ui.js';
import { paramsForm } from './params.js';
import { generatePanel } from './panel-generate.js';
import { chatPanel } from './panel-chat.js';
import { structuredPanel } from './panel-structured.js';
import { embedPanel } from './panel-embed.js';

let openDrawerState = null;

export function openDrawer(run) {
  if (openDrawerState) openDrawerState.close();
  const opener = document.activeElement;
  const embedding = run.model_type === 'embedding';
  const params = paramsForm();
  const panels = embedding
    ? [['embed', 'drawer.tab.embed', embedPanel(run)]]
    : [['chat', 'drawer.tab.chat', chatPanel(run, params)],
      ['generate', 'drawer.tab.generate', generatePanel(run, params)],
      ['structured', 'drawer.tab.structured', structuredPanel(run, params)]];

  const tabs = h('div', { class: 'tabs tabs-small', attrs: { role: 'tablist' }, i18nAttr: { 'aria-label': 'drawer.tabsLabel' } });
  const bodies = [];
  panels.forEach(([key, labelKey, panel], i) => {
    const tab = h('button', { type: 'button', class: 'tab', id: `drawer-tab-${key}`, i18n: labelKey, tabIndex: i ? -1 : 0,
      attrs: { role: 'tab', 'aria-selected': String(!i), 'aria-controls': `drawer-panel-${key}` } });
    tabs.append(tab);
    bodies.push(h('div', { id: `drawer-panel-${key}`, class: 'drawer-panel', hidden: i > 0,
      attrs: { role: 'tabpanel', 'aria-labelledby': tab.id } }, panel.el));
  });
  const choose = (tab) => {
    selectTab(tabs, tab);
    const key = tab.id.replace('drawer-tab-', '');
    params.el.hidden = key === 'embed';
  };
  tablist(tabs, choose);
  tabs.addEventListener('click', (e) => { const tab = e.target.closest('[role="tab"]'); if (tab) choose(tab); });

  const title = h('h2', { class: 'drawer-title', id: 'drawer-title', text: run.model_name || run.model_id });
  const closeBtn = h('button', { type: 'button', class: 'icon-btn', id: 'drawer-close', text: '×',
    i18nAttr: { 'aria-label': 'drawer.close' } });
  const subtitle = h('div', { class: 'drawer-sub' },
    h('span', { class: 'chip', text: ENGINE_LABELS[run.engine_type] || run.engine_type }),
    h('code', { class: 'run-id', text: run.run_id }));
  const dialog = h('dialog', { class: 'drawer', id: 'drawer', attrs: { 'aria-labelledby': title.id } },
    h('div', { class: 'drawer-inner' },
      h('div', { class: 'drawer-head' }, h('div', {}, title, subtitle), closeBtn),
      tabs,
      h('div', { class: 'drawer-body' }, embedding ? null : params.el, bodies)));

  function close() {
    if (!dialog.isConnected) return;
    for (const [, , panel] of panels) panel.dispose();
    if (dialog.open) dialog.close();
    dialog.remove();
    openDrawerState = null;
    refocus(opener);
  }
  closeBtn.addEventListener('click', close);
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  dialog.addEventListener('click', (e) => { if (e.target === dialog) close(); }); // the backdrop
  document.body.append(dialog);
  dialog.showModal();
  panels[0][2].focus();
  openDrawerState = { close };
  return openDrawerState;
}
