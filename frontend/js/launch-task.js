// One launch in progress: POST /api/v1/models/start-stream, read as SSE. Shows the stage, the
// percentage, bytes while downloading, and either the ready run or the error with the engine's
// log tail. A launch can be cancelled (stops the run being started).
import { isAbort, post, stream } from './api.js';
import { h, replace, setText, uid } from './dom.js';
import { confirmDialog, errorBox, formatBytes, logBlock, progressBar, setProgress, splitLogTail, toast } from './ui.js';
import { ENGINE_LABELS } from './launch-options.js';
import { openDrawer } from './drawer.js';
import { refreshRunning } from './running.js';

const STAGES = ['resolving', 'downloading', 'launching', 'loading', 'ready'];

export function startLaunch(model, body) {
  const tasks = document.getElementById('launch-tasks');
  const ui = taskCard(model, body);
  tasks.prepend(ui.card);
  ui.card.focus();
  run(ui, body);
}

function taskCard(model, body) {
  const title = h('h2', { class: 'task-title', i18n: 'task.title',
    vars: { name: model.name || model.id, size: body.size, engine: ENGINE_LABELS[body.engine_type] || body.engine_type } });
  const badge = h('span', { class: 'badge badge-blue status', dataset: { status: 'starting' }, i18n: 'status.starting' });
  const stage = h('span', { class: 'task-stage', i18n: 'stage.resolving', attrs: { 'aria-live': 'polite' } });
  const pct = h('span', { class: 'task-pct', text: '0%' });
  const bytes = h('span', { class: 'task-bytes' });
  const message = h('div', { class: 'task-message' }); // engine lines: too chatty for a live region
  const bar = progressBar('task.progressLabel');
  const steps = h('ol', { class: 'stepper' }, STAGES.map((s) => h('li', { dataset: { stage: s }, i18n: `stage.${s}` })));
  const result = h('div', { class: 'task-result' });
  const cancel = h('button', { type: 'button', class: 'btn btn-small', i18n: 'task.cancel' });
  const dismiss = h('button', { type: 'button', class: 'icon-btn', text: '×', hidden: true,
    i18nAttr: { 'aria-label': 'task.dismiss' } });
  const card = h('article', { class: 'card task', tabIndex: -1, attrs: { 'aria-labelledby': '' } },
    h('div', { class: 'card-head' }, title, h('div', { class: 'task-tools' }, badge, cancel, dismiss)),
    steps,
    h('div', { class: 'task-line' }, h('span', { class: 'field-label', i18n: 'task.stage' }), stage, pct, bytes),
    bar, message, result);
  title.id = uid('task');
  card.setAttribute('aria-labelledby', title.id);
  dismiss.addEventListener('click', () => {
    const next = card.nextElementSibling || card.previousElementSibling;
    card.remove();
    (next || document.getElementById('tab-llm')).focus();
  });
  return { card, badge, stage, pct, bytes, message, bar, steps, result, cancel, dismiss, model, body, runId: null, reached: new Set() };
}

function markStage(ui, name) {
  const i = STAGES.indexOf(name);
  ui.reached.add(name);
  for (const li of ui.steps.children) {
    const j = STAGES.indexOf(li.dataset.stage);
    const before = i >= 0 && j < i;
    li.classList.toggle('done', before && ui.reached.has(li.dataset.stage));
    li.classList.toggle('skipped', before && !ui.reached.has(li.dataset.stage));
    li.classList.toggle('current', j === i);
  }
  if (i >= 0) setText(ui.stage, `stage.${name}`);
  else ui.stage.textContent = name;
  ui.card.dataset.stage = name;
}

function setStatus(ui, status) {
  ui.badge.dataset.status = status;
  const color = { ready: 'green', failed: 'red', cancelled: 'gray' }[status] || 'blue';
  ui.badge.className = `badge status badge-${color}`;
  setText(ui.badge, `status.${status}`);
}

async function run(ui, body) {
  const controller = new AbortController();
  let cancelled = false;
  ui.cancel.addEventListener('click', async () => {
    const ok = await confirmDialog({ titleKey: 'task.cancelTitle', messageKey: 'task.cancelMessage',
      vars: { name: ui.model.name || ui.model.id }, confirmKey: 'task.cancel' });
    if (!ok) return;
    cancelled = true;
    ui.cancel.disabled = true;
    if (ui.runId) {
      try {
        await post(`/api/v1/models/running/${encodeURIComponent(ui.runId)}/stop`);
      } catch (err) {
        ui.result.append(errorBox(err));
      }
    }
    controller.abort();
  });
  try {
    const outcome = await stream('/api/v1/models/start-stream', body, {
      signal: controller.signal,
      onEvent: (name, data) => onEvent(ui, name, data),
    });
    if (outcome.data) ready(ui, outcome.data);
    else if (!outcome.events.includes('ready')) throw Object.assign(new Error(''), { noEnd: true });
  } catch (err) {
    if (cancelled || isAbort(err)) {
      setStatus(ui, 'cancelled');
      setText(ui.message, 'task.cancelled');
    } else if (err.noEnd) {
      failed(ui, { message: '', status: 0 }, null, 'task.endedEarly');
    } else {
      failed(ui, err, err.data);
    }
  } finally {
    ui.cancel.hidden = true;
    ui.dismiss.hidden = false;
    refreshRunning();
  }
}

function onEvent(ui, name, data) {
  if (name === 'progress') {
    if (data.run_id) { ui.runId = data.run_id; ui.card.dataset.runId = data.run_id; }
    markStage(ui, data.stage || 'loading');
    ui.pct.textContent = `${setProgress(ui.bar, data.progress)}%`;
    ui.bytes.textContent = data.bytes_done != null
      ? `${formatBytes(data.bytes_done)}${data.bytes_total ? ` / ${formatBytes(data.bytes_total)}` : ''}` : '';
    ui.message.textContent = data.message || '';
  } else if (name === 'ready') {
    ready(ui, data);
  }
}

function ready(ui, run) {
  ui.runId = run.run_id || ui.runId;
  ui.card.dataset.runId = ui.runId;
  markStage(ui, 'ready');
  setStatus(ui, 'ready');
  ui.pct.textContent = `${setProgress(ui.bar, 1)}%`;
  ui.bytes.textContent = '';
  setText(ui.message, 'task.readyMessage', { run: ui.runId });
  replace(ui.result, h('div', { class: 'task-actions' },
    h('button', { type: 'button', class: 'btn btn-primary', i18n: 'task.tryIt', on: { click: () => openDrawer(run) } }),
    h('a', { class: 'btn', href: '#/running', i18n: 'task.viewRunning' })));
  toast('task.readyToast', { name: ui.model.name || ui.model.id });
}

/** The engine's last log lines apart from the message: the error event's log_tail, else the message's own. */
function logTail(err, data) {
  const { message, lines } = splitLogTail(err.message);
  const list = data && data.log_tail;
  return { message, lines: Array.isArray(list) && list.length ? list : lines };
}

function failed(ui, err, data, messageKey) {
  setStatus(ui, 'failed');
  ui.card.dataset.stage = 'failed';
  const { message, lines } = logTail(err, data);
  if (messageKey) setText(ui.message, messageKey);
  else ui.message.textContent = '';
  const box = messageKey ? null : errorBox({ ...err, message, status: err.status, requestId: err.requestId }, { titleKey: 'task.failed' });
  replace(ui.result, box,
    lines.length ? logBlock(lines, true) : null);
}
