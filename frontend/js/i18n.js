// English by default, 中文 on request; the choice is kept in localStorage.
// Elements carry data-i18n (text) and data-i18n-attr ("aria-label:key;placeholder:key"), so a
// language switch re-translates the page in place without losing what the user typed.
import { MESSAGES } from './messages.js';

const STORAGE_KEY = 'infercore.lang';
const listeners = new Set();
let lang = readStoredLang();

function readStoredLang() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'zh' ? 'zh' : 'en';
  } catch {
    return 'en';
  }
}

export function currentLang() {
  return lang;
}

/** The message for key, with {name} placeholders filled from vars; falls back to English, then the key. */
export function t(key, vars) {
  const text = MESSAGES[lang]?.[key] ?? MESSAGES.en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (vars[name] ?? m));
}

export function setLang(next) {
  lang = next === 'zh' ? 'zh' : 'en';
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyI18n(document);
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
}

export function applyI18n(root) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n, vars(el));
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';').filter(Boolean)) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key, vars(el)));
    }
  }
}

function vars(el) {
  if (!el.dataset.i18nVars) return undefined;
  try {
    return JSON.parse(el.dataset.i18nVars);
  } catch {
    return undefined;
  }
}
