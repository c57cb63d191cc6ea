// Entry point: hash routes (#/launch, #/running), the language toggle, and the API-key prompt.
import { applyI18n, currentLang, setLang, t } from './i18n.js';
import { apiKey, setApiKey, setAuthPrompt } from './api.js';
import { apiKeyDialog } from './ui.js';
import { mountLaunch } from './launch.js';
import { mountRunning, showRunning } from './running.js';

const routes = {
  launch: { page: 'page-launch', nav: 'nav-launch', title: 'launch.title' },
  running: { page: 'page-running', nav: 'nav-running', title: 'running.title' },
};
let current = null;

function route() {
  const name = (location.hash.match(/^#\/(\w+)/) || [])[1];
  const next = routes[name] ? name : 'launch';
  if (!routes[name] && location.hash) history.replaceState(null, '', '#/launch');
  const changed = current !== null && current !== next;
  if (changed) { // a route change (links, back/forward) closes dialogs and the drawer
    for (const d of document.querySelectorAll('dialog[open]')) d.dispatchEvent(new Event('cancel'));
  }
  current = next;
  for (const [key, r] of Object.entries(routes)) {
    document.getElementById(r.page).hidden = key !== next;
    const link = document.getElementById(r.nav);
    if (key === next) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  updateTitle();
  showRunning(next === 'running');
  if (changed) document.getElementById(routes[next].page).querySelector('h1')?.focus();
}

function updateTitle() {
  document.title = `${t(routes[current].title)} · infercore`;
}

function updateLangButton() {
  const button = document.getElementById('lang-toggle');
  const zh = currentLang() === 'zh';
  button.textContent = zh ? 'English' : '中文';
  button.lang = zh ? 'en' : 'zh';
  button.setAttribute('aria-label', zh ? 'Switch to English' : '切换到中文');
}

function updateKeyButton() {
  document.getElementById('key-button').hidden = !apiKey();
}

function init() {
  document.getElementById('lang-toggle').addEventListener('click', () => {
    setLang(currentLang() === 'zh' ? 'en' : 'zh');
    updateLangButton();
    updateTitle();
  });
  document.getElementById('key-button').addEventListener('click', async () => {
    const key = await apiKeyDialog(false);
    if (key) setApiKey(key);
    updateKeyButton();
  });
  setAuthPrompt(async (rejected) => {
    const key = await apiKeyDialog(rejected);
    setTimeout(updateKeyButton);
    return key;
  });
  mountLaunch(document.getElementById('page-launch'));
  mountRunning(document.getElementById('page-running'));
  for (const h1 of document.querySelectorAll('.page h1')) h1.tabIndex = -1;
  applyI18n(document);
  updateLangButton();
  updateKeyButton();
  window.addEventListener('hashchange', route);
  route();
  document.body.dataset.ready = 'true';
}

init();
