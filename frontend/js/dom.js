// Tiny DOM helpers. Text from the API is always set through textContent, never as HTML.
import { t } from './i18n.js';

/**
 * h('button', {class: 'btn', i18n: 'launch.go', on: {click: fn}, attrs: {type: 'button'}}, ...children)
 * Props: class, text, i18n (+ vars), i18nAttr ({'aria-label': 'key'}), on, attrs, dataset, hidden,
 * and anything else is assigned as a DOM property (value, disabled, id, ...).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null) continue;
    switch (key) {
      case 'class': el.className = value; break;
      case 'text': el.textContent = value; break;
      case 'i18n': setText(el, value, props.vars); break;
      case 'vars': break;
      case 'i18nAttr': for (const [a, k] of Object.entries(value)) setAttr(el, a, k, props.vars); break;
      case 'on': for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn); break;
      case 'attrs': for (const [a, v] of Object.entries(value)) if (v !== undefined && v !== null && v !== false) el.setAttribute(a, v === true ? '' : v); break;
      case 'dataset': Object.assign(el.dataset, value); break;
      default: el[key] = value;
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Translated text that follows the language toggle (see i18n.applyI18n). */
export function setText(el, key, vars) {
  el.dataset.i18n = key;
  if (vars) el.dataset.i18nVars = JSON.stringify(vars); else delete el.dataset.i18nVars;
  el.textContent = t(key, vars);
  return el;
}

/** A translated attribute (aria-label, placeholder, title) that follows the language toggle. */
export function setAttr(el, attr, key, vars) {
  const pairs = (el.dataset.i18nAttr || '').split(';').filter(Boolean).filter(p => !p.startsWith(attr + ':'));
  pairs.push(`${attr}:${key}`);
  el.dataset.i18nAttr = pairs.join(';');
  if (vars) el.dataset.i18nVars = JSON.stringify(vars);
  el.setAttribute(attr, t(key, vars));
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

let idCounter = 0;
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form field: {label, control, hint}. The control gets an id and aria-describedby. */
export function field(labelKey, control, hintKey, vars) {
  control.id = control.id || uid('f');
  const label = h('label', { class: 'field-label', i18n: labelKey, attrs: { for: control.id } });
  const parts = [label, control];
  if (hintKey) {
    const hint = h('div', { class: 'field-hint', id: uid('hint'), i18n: hintKey, vars });
    control.setAttribute('aria-describedby', hint.id);
    parts.push(hint);
  }
  return h('div', { class: 'field' }, parts);
}

export function select(options, value) {
  const el = h('select', { class: 'input' });
  setOptions(el, options, value);
  return el;
}

/** options: [{value, label} | {value, i18n}] */
export function setOptions(sel, options, value) {
  clear(sel);
  for (const o of options) {
    const opt = h('option', { value: o.value });
    if (o.i18n) setText(opt, o.i18n, o.vars); else opt.textContent = o.label ?? o.value;
    sel.append(opt);
  }
  if (value !== undefined && options.some(o => o.value === value)) sel.value = value;
  return sel;
}

/** Keyboard navigation for role="tablist": arrows, Home, End move focus and select. */
export function tablist(listEl, onSelect) {
  listEl.addEventListener('keydown', (e) => {
    const tabs = [...listEl.querySelectorAll('[role="tab"]:not([disabled]):not([hidden])')];
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    let next = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = tabs[(i + 1) % tabs.length];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === 'Home') next = tabs[0];
    else if (e.key === 'End') next = tabs[tabs.length - 1];
    if (next) {
      e.preventDefault();
      next.focus();
      onSelect(next);
    }
  });
}

export function selectTab(listEl, tab) {
  for (const other of listEl.querySelectorAll('[role="tab"]')) {
    const on = other === tab;
    other.setAttribute('aria-selected', String(on));
    other.tabIndex = on ? 0 : -1;
    const panel = document.getElementById(other.getAttribute('aria-controls'));
    if (panel) panel.hidden = !on;
  }
}
