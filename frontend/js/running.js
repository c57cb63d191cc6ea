// "Running Models": every run from GET /api/v1/models/running (all engines and the built-in
// models), refreshed every few seconds; status, uptime, replicas, endpoint; logs, stop, try it.
import { get, post } from './api.js';
import { h, replace, setText } from './dom.js';
import { confirmDialog, errorBox, formatDuration, logBlock, spinner, splitLogTail, toast } from './ui.js';
import { ENGINE_LABELS } from './launch-options.js';
import { openDrawer } from './drawer.js';
import { openLogs } from './logs.js';

const REFRESH_MS = 5000;
const STATUS_COLORS = { running: 'green', starting: 'blue', restarting: 'amber', unhealthy: 'amber', failed: 'red', stopped: 'gray' };
let els = null;
let timer = null;
let loading = null;
let queued = null;
let visible = false;
const cards = new Map();

export function mountRunning(page) {
  const auto = h('input', { type: 'checkbox', id: 'auto-refresh', checked: true,
    on: { change: () => schedule() } });
  els = {
    list: h('div', { id: 'run-list', class: 'run-list', attrs: { 'aria-live': 'off' } }),
    error: h('div', { class: 'run-error' }),
    updated: h('span', { class: 'muted updated', attrs: { 'aria-live': 'polite' } }),
    auto,
  };
  page.append(
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', { id: 'running-title', i18n: 'running.title' }),
        h('p', { class: 'lead', i18n: 'running.lead' })),
      h('div', { class: 'toolbar' },
        h('label', { class: 'check' }, auto, h('span', { i18n: 'running.autoRefresh' })),
        h('button', { type: 'button', class: 'btn', id: 'refresh-runs', i18n: 'common.refresh',
          on: { click: () => refreshRunning() } }))),
    els.updated, els.error, els.list);
  setInterval(tickUptimes, 1000);
  document.addEventListener('visibilitychange', schedule);
}

export function showRunning(on) {
  visible = on;
  if (on) refreshRunning();
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (visible && els.auto.checked && !document.hidden) timer = setTimeout(() => refreshRunning(), REFRESH_MS);
}

/** Reloads the list; a call made while a load is under way waits for it, then loads again. */
export function refreshRunning() {
  if (!els) return Promise.resolve();
  if (loading) {
    queued = queued || loading.then(() => { queued = null; return refreshRunning(); });
    return queued;
  }
  if (!cards.size && !els.list.querySelector('.empty')) {
    replace(els.list, h('div', { class: 'loading' }, spinner(), h('span', { i18n: 'running.loading' })));
  }
  loading = (async () => {
    try {
      const data = await get('/api/v1/models/running');
      const runs = Array.isArray(data) ? data : (data.runs || []);
      replace(els.error);
      render(runs);
      setText(els.updated, 'running.updated', { time: new Date().toLocaleTimeString() });
    } catch (err) {
      replace(els.error, errorBox(err, { titleKey: 'running.loadFailed' }));
      if (!cards.size) replace(els.list);
    } finally {
      loading = null;
      schedule();
    }
  })();
  return loading;
}

function render(runs) {
  const ids = new Set(runs.map((r) => r.run_id));
  for (const [id, c] of cards) {
    if (!ids.has(id)) { c.el.remove(); cards.delete(id); }
  }
  if (!runs.length) {
    replace(els.list, h('div', { class: 'empty' },
      h('p', { class: 'empty-title', i18n: 'running.empty' }),
      h('p', { i18n: 'running.emptyHint' }),
      h('a', { class: 'btn btn-primary', href: '#/launch', i18n: 'running.goLaunch' })));
    return;
  }
  els.list.querySelector('.empty, .loading')?.remove();
  runs.forEach((run, i) => {
    let c = cards.get(run.run_id);
    const json = JSON.stringify(run);
    if (!c) {
      c = { el: h('article', { class: 'card run', dataset: { runId: run.run_id } }), json: '' };
      cards.set(run.run_id, c);
    }
    if (c.json !== json) {
      c.json = json;
      fill(c.el, run);
    }
    if (els.list.children[i] !== c.el) els.list.insertBefore(c.el, els.list.children[i] || null);
  });
}

/** (Re)builds a run card, keeping focus and open <details> where they were. */
function fill(card, run) {
  const focused = card.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  const replicasOpen = card.querySelector('details.replicas')?.open;
  const builtin = run.mode === 'builtin';
  const replicas = run.replicas || [];
  const serving = replicas.filter((r) => r.status === 'running').length;
  const titleId = `run-${run.run_id}-title`;
  card.setAttribute('aria-labelledby', titleId);
  card.dataset.status = run.status;
  replace(card,
    h('div', { class: 'card-head' },
      h('h3', { class: 'card-title', id: titleId, text: run.model_name || run.model_id }),
      h('div', { class: 'badges' },
        statusBadge(run.status),
        h('span', { class: 'chip', text: ENGINE_LABELS[run.engine_type] || run.engine_type }),
        run.model_type === 'embedding' ? h('span', { class: 'chip', i18n: 'model.type.embedding' }) : null,
        builtin ? h('span', { class: 'chip', i18n: 'running.builtin' }) : null)),
    h('dl', { class: 'facts facts-grid' },
      fact('running.runId', h('code', { class: 'run-id', text: run.run_id })),
      fact('running.model', [run.model_id, run.size].filter(Boolean).join(' · ') || '—'),
      fact('running.mode', run.mode ? tr(`mode.${run.mode}`) : '—'),
      fact('running.uptime', run.status === 'failed' || run.status === 'stopped' ? '—'
        : h('span', { class: 'uptime', dataset: { since: run.created_at || '' }, text: uptime(run.created_at) })),
      fact('running.replicas', tr('running.replicasValue', { serving, total: run.replica_count || replicas.length || 1 })),
      fact('running.endpoint', endpoint(run)),
      run.quantization ? fact('form.quantization', run.quantization) : null,
      run.load_format ? fact('form.format', run.load_format) : null,
      run.n_gpu ? fact('form.gpus', String(run.n_gpu)) : null,
      run.enable_thinking != null ? fact('form.thinking', tr(run.enable_thinking ? 'form.thinkingOn' : 'form.thinkingOff')) : null),
    run.reason ? reasonBox(run) : null,
    replicas.length > 1 || replicas.some((r) => r.pid || r.last_error) ? replicaDetails(replicas, replicasOpen) : null,
    h('div', { class: 'card-actions' },
      h('div', { class: 'action-error' }),
      h('div', { class: 'buttons' },
        h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'try', forRun: run.run_id }, disabled: run.status !== 'running',
          i18n: run.model_type === 'embedding' ? 'running.tryEmbed' : 'running.try', on: { click: () => openDrawer(run) } }),
        h('button', { type: 'button', class: 'btn', dataset: { action: 'logs', forRun: run.run_id }, i18n: 'running.logs',
          on: { click: () => openLogs(run) } }),
        h('button', { type: 'button', class: 'btn btn-danger-outline', dataset: { action: 'stop', forRun: run.run_id }, disabled: builtin,
          i18n: 'running.stop', i18nAttr: builtin ? { title: 'running.builtinNoStop' } : undefined,
          on: { click: (e) => stop(run, card, e.currentTarget) } }))));
  if (focused) card.querySelector(`[data-action="${focused}"]`)?.focus();
}

function endpoint(run) {
  if (run.base_url) return h('code', { text: run.base_url });
  return run.mode === 'embedded' || run.mode === 'builtin' ? tr('running.inProcess') : '—';
}

/** Why a run failed or is degraded; engine log lines folded away. */
function reasonBox(run) {
  const { message, lines } = splitLogTail(run.reason);
  return h('div', { class: `alert ${run.status === 'failed' ? 'alert-error' : 'alert-warn'}` },
    h('span', { class: 'alert-msg', text: message }),
    lines.length ? logBlock(lines) : null);
}

function statusBadge(status) {
  return h('span', { class: `badge badge-${STATUS_COLORS[status] || 'gray'} status`, dataset: { status },
    i18n: `status.${status}` });
}

/** Translated text that follows the language toggle. */
function tr(key, vars) {
  return h('span', { i18n: key, vars });
}

function fact(labelKey, value) {
  return h('div', { class: 'fact' }, h('dt', { i18n: labelKey }), h('dd', {}, value));
}

function replicaDetails(replicas, open) {
  return h('details', { class: 'replicas', open: Boolean(open) },
    h('summary', { i18n: 'running.replicaDetails', vars: { n: replicas.length } }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['#', 'running.status', 'running.pid', 'running.port', 'running.restarts',
        'running.inFlight', 'running.gpus', 'running.lastError'].map((k) => h('th', { attrs: { scope: 'col' },
        ...(k === '#' ? { text: '#' } : { i18n: k }) })))),
      h('tbody', {}, replicas.map((r) => h('tr', {},
        h('td', { text: String(r.index) }), h('td', {}, statusBadge(r.status)),
        h('td', { text: r.pid ?? '—' }), h('td', { text: r.port ?? '—' }), h('td', { text: String(r.restarts ?? 0) }),
        h('td', { text: String(r.in_flight ?? 0) }), h('td', { text: (r.gpus || []).join(', ') || '—' }),
        h('td', { class: 'wrap', text: r.last_error || '—' })))))));
}

function uptime(createdAt) {
  if (!createdAt) return '—';
  const since = Date.parse(createdAt);
  return Number.isNaN(since) ? '—' : formatDuration((Date.now() - since) / 1000);
}

function tickUptimes() {
  if (!visible) return;
  for (const el of els.list.querySelectorAll('.uptime')) el.textContent = uptime(el.dataset.since);
}

async function stop(run, card, button) {
  const ok = await confirmDialog({ titleKey: 'running.stopTitle', messageKey: 'running.stopMessage',
    vars: { name: run.model_name, run: run.run_id }, confirmKey: 'running.stop' });
  if (!ok) return;
  const area = card.querySelector('.action-error');
  replace(area);
  button.disabled = true;
  delete button.dataset.i18n;
  replace(button, spinner(), h('span', { i18n: 'running.stopping' }));
  card.classList.add('busy');
  try {
    await post(`/api/v1/models/running/${encodeURIComponent(run.run_id)}/stop`);
    toast('running.stopped', { name: run.model_name });
  } catch (err) {
    card.classList.remove('busy');
    replace(area, errorBox(err, { titleKey: 'running.stopFailed' }));
    button.disabled = false;
    setText(button, 'running.stop');
    return;
  }
  card.classList.remove('busy');
  await refreshRunning();
  if (!document.activeElement || document.activeElement === document.body) document.getElementById('refresh-runs').focus();
}
