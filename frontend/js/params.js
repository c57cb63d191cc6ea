// Sampling parameters shared by the drawer's panels: max tokens, temperature, top_p, stop.
// Checked in the browser with the server's rules (the server checks again and names the field).
import { h, field, setText } from './dom.js';

export function paramsForm() {
  const maxTokens = h('input', { class: 'input', type: 'number', min: 1, step: 1, value: '128', name: 'max_tokens', inputMode: 'numeric' });
  const temperature = h('input', { class: 'input', type: 'number', min: 0, max: 2, step: 0.1, value: '0.7', name: 'temperature' });
  const topP = h('input', { class: 'input', type: 'number', min: 0.01, max: 1, step: 0.05, value: '0.95', name: 'top_p' });
  const stop = h('textarea', { class: 'input mono', rows: 2, name: 'stop', spellcheck: false });
  const error = h('div', { class: 'field-error', attrs: { role: 'alert' } });
  const el = h('details', { class: 'params', open: window.innerWidth > 900 },
    h('summary', { i18n: 'params.title' }),
    h('div', { class: 'params-grid' },
      field('params.maxTokens', maxTokens),
      field('params.temperature', temperature, 'params.temperatureHint'),
      field('params.topP', topP, 'params.topPHint'),
      field('params.stop', stop, 'params.stopHint')),
    error);

  /** The parameters as request fields, or null (with the field focused and explained) when one is invalid. */
  function values({ withStop = true } = {}) {
    delete error.dataset.i18n;
    error.textContent = '';
    for (const input of [maxTokens, temperature, topP]) input.removeAttribute('aria-invalid');
    const mt = Number(maxTokens.value);
    if (!Number.isInteger(mt) || mt < 1) return invalid(maxTokens, 'params.maxTokensInvalid');
    const temp = Number(temperature.value);
    if (temperature.value === '' || Number.isNaN(temp) || temp < 0 || temp > 2) return invalid(temperature, 'params.temperatureInvalid');
    const tp = Number(topP.value);
    if (topP.value === '' || Number.isNaN(tp) || tp <= 0 || tp > 1) return invalid(topP, 'params.topPInvalid');
    const body = { max_tokens: mt, temperature: temp, top_p: tp };
    const stops = stop.value.split('\n').map((s) => s.replace(/\\n/g, '\n')).filter((s) => s.length);
    if (withStop && stops.length) body.stop = stops;
    return body;
  }

  function invalid(input, key) {
    el.open = true;
    input.setAttribute('aria-invalid', 'true');
    setText(error, key);
    input.focus();
    return null;
  }

  return { el, values };
}
