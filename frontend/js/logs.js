// Logs viewer: GET /api/v1/models/running/{run_id}/logs → the supervisor's events for the run and
// each replica's engine output. Follows the log (refresh every 3 s) while open.
import { get } from './api.js';
import { h, replace, setOptions, field } from './dom.js';
import { t } from './i18n.js';
import { errorBox, modal } from './ui.js';

const LINES = 300;

export function openLogs(run) {
  const source = h('select', { class: 'input', id: 'log-source' });
  const follow = h('input', { type: 'checkbox', checked: true, id: 'log-follow' });
  const pre = h('pre', { class: 'code log log-view', tabIndex: 0, id: 'log-text',
    i18nAttr: { 'aria-label': 'logs.textLabel' } });
  const error = h('div');
  const refreshBtn = h('button', { type: 'button', class: 'btn btn-small', i18n: 'common.refresh', on: { click: () => load() } });
  let data = null;
  let timer = null;

  const m = modal({
    titleKey: 'logs.title',
    titleVars: { name: run.model_name, run: run.run_id },
    className: 'dialog-wide dialog-logs',
    content: [
      h('div', { class: 'log-toolbar' },
        field('logs.source', source),
        h('label', { class: 'check' }, follow, h('span', { i18n: 'logs.follow' })),
        refreshBtn),
      error, pre],
    actions: [{ i18n: 'common.close', onClick: (close) => close() }],
    onClose: () => clearTimeout(timer),
  });

  source.addEventListener('change', show);
  follow.addEventListener('change', () => { if (follow.checked) load(); else clearTimeout(timer); });

  async function load() {
    clearTimeout(timer);
    try {
      data = await get(`/api/v1/models/running/${encodeURIComponent(run.run_id)}/logs?lines=${LINES}`);
      replace(error);
      const keep = source.value;
      const options = [{ value: 'events', i18n: 'logs.events' }];
      for (const r of data.replicas || []) {
        options.push({ value: `replica-${r.index}`, i18n: r.pid ? 'logs.replicaPid' : 'logs.replica', vars: { index: r.index, pid: r.pid } });
      }
      setOptions(source, options, keep || (data.replicas?.some((r) => r.lines?.length) ? 'replica-0' : 'events'));
      show();
    } catch (err) {
      replace(error, errorBox(err));
    }
    if (follow.checked && m.dialog.isConnected) timer = setTimeout(load, 3000);
  }

  function show() {
    if (!data) return;
    let lines;
    if (source.value === 'events') lines = data.events || [];
    else lines = (data.replicas || []).find((r) => `replica-${r.index}` === source.value)?.lines || [];
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
    pre.textContent = lines.length ? lines.join('\n') : t(source.value === 'events' ? 'logs.noEvents' : 'logs.noLines');
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  pre.textContent = t('common.loading');
  load();
}
