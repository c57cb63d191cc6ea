// Shared pieces: error boxes, toasts, modal dialogs (native <dialog>: focus is kept inside,
// Escape closes, focus returns to the opener), and formatting.
import { h, setText, replace, uid } from './dom.js';
import { t } from './i18n.js';

/** A readable error: the message, then HTTP status and request_id to quote when reporting it. */
export function errorBox(err, { titleKey = 'error.title' } = {}) {
  const meta = [];
  if (err.status) meta.push(h('span', { class: 'err-status', text: `HTTP ${err.status}` }));
  if (err.requestId) {
    meta.push(h('span', { class: 'err-id' }, h('span', { i18n: 'error.requestId' }), ' ',
      h('code', { class: 'request-id', text: err.requestId })));
  }
  return h('div', { class: 'alert alert-error', attrs: { role: 'alert' } },
    h('strong', { class: 'alert-title', i18n: titleKey }),
    h('div', { class: 'alert-msg', text: err.message || String(err) }),
    meta.length ? h('div', { class: 'alert-meta' }, meta) : null);
}

export function toast(key, vars, kind = 'info') {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast toast-${kind}`, i18n: key, vars });
  box.append(el);
  setTimeout(() => el.remove(), 5000);
}

/**
 * A modal dialog. content: nodes; actions: [{i18n, kind, onClick(close) , autofocus}].
 * Returns {dialog, close}. onClose(result) runs once, whatever closed it (button, Escape).
 */
export function modal({ titleKey, titleVars, content, actions = [], className = '', onClose, labelledBy }) {
  const opener = document.activeElement;
  const titleEl = h('h2', { class: 'dialog-title', id: uid('dlg-title') });
  if (titleKey) setText(titleEl, titleKey, titleVars);
  const closeBtn = h('button', { class: 'icon-btn dialog-x', type: 'button', i18nAttr: { 'aria-label': 'common.close' },
    text: '×', on: { click: () => close(null) } });
  const footer = h('div', { class: 'dialog-actions' });
  const dialog = h('dialog', { class: `dialog ${className}`, attrs: { 'aria-labelledby': labelledBy || titleEl.id } },
    h('div', { class: 'dialog-head' }, titleEl, closeBtn),
    h('div', { class: 'dialog-body' }, content),
    footer);
  let done = false;
  function close(result) {
    if (done) return;
    done = true;
    if (dialog.open) dialog.close();
    dialog.remove();
    refocus(opener);
    if (onClose) onClose(result);
  }
  for (const a of actions) {
    const b = h('button', { type: 'button', class: `btn ${a.kind ? `btn-${a.kind}` : ''}`, i18n: a.i18n,
      on: { click: () => a.onClick(close, b) } });
    if (a.id) b.id = a.id;
    if (a.autofocus) b.autofocus = true;
    footer.append(b);
  }
  if (!actions.length) footer.remove();
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close, titleEl };
}

/**
 * Gives focus back to the element that opened a dialog. The running list rebuilds its cards when
 * a run changes, so an opener that is gone is found again by its run and action.
 */
export function refocus(opener) {
  let el = opener;
  if (el && !el.isConnected && el.dataset && el.dataset.action && el.dataset.forRun) {
    el = document.querySelector(`[data-run-id="${CSS.escape(el.dataset.forRun)}"] [data-action="${el.dataset.action}"]`);
  }
  if (el && el.isConnected && typeof el.focus === 'function') el.focus();
}

/** Resolves true when the user confirms. The safe choice (Cancel) has the focus. */
export function confirmDialog({ titleKey, messageKey, vars, confirmKey, danger = true }) {
  return new Promise((resolve) => {
    modal({
      titleKey,
      titleVars: vars,
      className: 'dialog-small',
      content: h('p', { i18n: messageKey, vars }),
      actions: [
        { i18n: 'common.cancel', autofocus: true, onClick: (close) => close(false) },
        { i18n: confirmKey, kind: danger ? 'danger' : 'primary', id: 'confirm-ok', onClick: (close) => close(true) },
      ],
      onClose: (r) => resolve(r === true),
    });
  });
}

/** Asks for an API key after a 401; resolves with the key, or null. */
export function apiKeyDialog(rejected) {
  return new Promise((resolve) => {
    const input = h('input', { class: 'input', type: 'password', id: 'api-key-input', autocomplete: 'off', spellcheck: false });
    const form = h('form', { on: { submit: (e) => { e.preventDefault(); submit(); } } },
      h('p', { i18n: rejected ? 'auth.rejected' : 'auth.required' }),
      h('label', { class: 'field-label', attrs: { for: input.id }, i18n: 'auth.label' }),
      input,
      h('p', { class: 'field-hint', i18n: 'auth.hint' }));
    let closeFn = null;
    function submit() {
      const key = input.value.trim();
      if (key) closeFn(key);
      else input.focus();
    }
    const m = modal({
      titleKey: 'auth.title',
      className: 'dialog-small',
      content: form,
      actions: [
        { i18n: 'common.cancel', onClick: (close) => close(null) },
        { i18n: 'auth.use', kind: 'primary', onClick: () => submit() },
      ],
      onClose: (r) => resolve(r || null),
    });
    closeFn = m.close;
    input.focus();
  });
}

export function progressBar(labelKey) {
  const bar = h('div', { class: 'progress', attrs: { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0 } },
    h('div', { class: 'progress-fill' }));
  if (labelKey) bar.dataset.i18nAttr = `aria-label:${labelKey}`;
  bar.setAttribute('aria-label', t(labelKey || 'common.progress'));
  return bar;
}

export function setProgress(bar, fraction) {
  const pct = Math.max(0, Math.min(100, Math.round((fraction || 0) * 100)));
  bar.setAttribute('aria-valuenow', pct);
  bar.firstChild.style.width = `${pct}%`;
  return pct;
}

export function spinner() {
  return h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } });
}

export function formatBytes(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = Number(n);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u += 1; }
  return `${v >= 10 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** 3725 s → "1h 2m", 65 → "1m 5s" */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d) return `${d}d ${hh}h`;
  if (hh) return `${hh}h ${m}m`;
  if (m) return `${m}m ${sec}s`;
  return `${sec}s`;
}

/** Splits "message; last log lines:\n…" (launch failures, run reasons) into the message and the lines. */
export function splitLogTail(text) {
  const marker = '; last log lines:\n';
  const at = (text || '').indexOf(marker);
  return at < 0 ? { message: text || '', lines: [] }
    : { message: text.slice(0, at), lines: text.slice(at + marker.length).split('\n') };
}

/** A collapsible block of engine log lines. */
export function logBlock(lines, open = false) {
  const pre = h('pre', { class: 'code log', tabIndex: 0, text: lines.join('\n') });
  const toEnd = () => requestAnimationFrame(() => { pre.scrollTop = pre.scrollHeight; }); // the error is last
  const block = h('details', { class: 'log-tail', open, on: { toggle: toEnd } },
    h('summary', { i18n: 'task.logTail', vars: { n: lines.length } }), pre);
  toEnd();
  return block;
}

/** Replaces the content of an area with an error box (or clears it when err is null). */
export function showError(area, err) {
  if (!err) replace(area);
  else replace(area, errorBox(err));
}
