// Chat: a multi-turn conversation; the assistant's reply streams into its bubble token by token.
// Enter sends, Shift+Enter adds a line; Stop aborts the request (the server cancels generation).
import { h, field, replace, select, setAttr, setText } from './dom.js';
import { isAbort } from './api.js';
import { errorBox } from './ui.js';
import { statsLine } from './infer.js';
import { CHAT_APIS, chatVia, savedChatApi, saveChatApi } from './api-clients.js';

export function chatPanel(run, params) {
  const system = h('input', { class: 'input', id: 'chat-system', type: 'text' });
  const api = select(CHAT_APIS, savedChatApi());
  api.id = 'chat-api';
  api.addEventListener('change', () => saveChatApi(api.value));
  const streamBox = h('input', { type: 'checkbox', id: 'chat-stream', checked: true });
  const input = h('textarea', { class: 'input', rows: 2, id: 'chat-input' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary', id: 'chat-send', i18n: 'chat.send' });
  const stop = h('button', { type: 'button', class: 'btn btn-danger-outline', id: 'chat-stop', i18n: 'infer.stop', disabled: true });
  const clearBtn = h('button', { type: 'button', class: 'btn btn-ghost', id: 'chat-clear', i18n: 'chat.clear' });
  const transcript = h('div', { class: 'transcript', id: 'chat-transcript', tabIndex: 0,
    i18nAttr: { 'aria-label': 'chat.transcript' }, attrs: { role: 'log', 'aria-live': 'off' } });
  const status = h('div', { class: 'muted stats', id: 'chat-status', attrs: { role: 'status' } });
  const error = h('div');
  const history = [];
  let controller = null;

  const empty = h('p', { class: 'empty-inline', i18n: 'chat.empty' });
  transcript.append(empty);

  const form = h('form', { class: 'chat-form', on: { submit: (e) => { e.preventDefault(); start(); } } },
    h('label', { class: 'sr-only', attrs: { for: input.id }, i18n: 'chat.message' }),
    input, h('div', { class: 'buttons' }, send, stop, clearBtn));
  setAttr(input, 'placeholder', 'chat.placeholder');
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); start(); }
  });
  stop.addEventListener('click', () => controller?.abort());
  clearBtn.addEventListener('click', () => {
    controller?.abort();
    history.length = 0;
    replace(transcript, empty);
    replace(error);
    status.textContent = '';
    delete status.dataset.i18n;
    input.focus();
  });

  function bubble(role, text) {
    const body = h('div', { class: 'bubble-text', text });
    const el = h('div', { class: `bubble bubble-${role}`, dataset: { role } },
      h('div', { class: 'bubble-role', i18n: `chat.role.${role}` }), body);
    empty.remove();
    transcript.append(el);
    transcript.scrollTop = transcript.scrollHeight;
    return { el, body };
  }

  async function start() {
    if (controller) return;
    const text = input.value.trim();
    if (!text) { input.focus(); return; }
    const p = params.values();
    if (!p) return;
    const messages = [];
    if (system.value.trim()) messages.push({ role: 'system', content: system.value.trim() });
    history.push({ role: 'user', content: text });
    messages.push(...history);
    const userBubble = bubble('user', text);
    const reply = bubble('assistant', '');
    reply.el.classList.add('streaming');
    reply.el.setAttribute('aria-busy', 'true');
    const thinking = h('details', { class: 'reasoning', hidden: true }, h('summary', { i18n: 'infer.reasoning' }), h('div', { class: 'reasoning-text' }));
    reply.body.before(thinking);
    input.value = '';
    controller = new AbortController();
    send.disabled = true;
    stop.disabled = false;
    replace(error);
    setText(status, 'chat.replying');
    let content = '';
    try {
      const result = await chatVia(api.value, run, messages, p, {
        stream: streamBox.checked,
        signal: controller.signal,
        onDelta: (delta, think) => {
          if (think) { thinking.hidden = false; thinking.lastChild.textContent += think; }
          if (delta) {
            content += delta;
            reply.body.textContent = content;
            transcript.scrollTop = transcript.scrollHeight;
          }
        },
      });
      history.push({ role: 'assistant', content });
      delete status.dataset.i18n;
      status.textContent = statsLine(result);
    } catch (err) {
      if (isAbort(err)) {
        history.push({ role: 'assistant', content });
        reply.el.append(h('div', { class: 'bubble-note', i18n: 'infer.stopped' }));
        setText(status, 'infer.stopped');
      } else if (content) { // failed mid-reply: keep what arrived, say why it ended
        history.push({ role: 'assistant', content });
        status.textContent = '';
        delete status.dataset.i18n;
        replace(error, errorBox(err));
      } else {
        history.pop(); // the turn failed before any text: take it back so the user can retry
        userBubble.el.remove();
        reply.el.remove();
        input.value = text;
        status.textContent = '';
        delete status.dataset.i18n;
        replace(error, errorBox(err));
      }
    } finally {
      reply.el.classList.remove('streaming');
      reply.el.removeAttribute('aria-busy');
      controller = null;
      send.disabled = false;
      stop.disabled = true;
      if (!transcript.querySelector('.bubble')) transcript.append(empty);
      input.focus();
    }
  }

  return {
    el: h('div', { class: 'panel panel-chat' },
      h('div', { class: 'chat-api' }, field('chat.api', api),
        h('label', { class: 'check' }, streamBox, ' ', h('span', { i18n: 'chat.stream' }))),
      field('chat.system', system), transcript, status, error, form),
    dispose: () => controller?.abort(),
    focus: () => input.focus(),
  };
}

