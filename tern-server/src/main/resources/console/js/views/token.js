// Asks for the API token once per tab; checks it with /console/session before keeping it, so a
// wrong token is said beside the field (and never sent in a URL).
import { session, setToken } from '../api.js';
import { h, replace } from '../dom.js';

export function tokenPrompt(main, { refused = false } = {}) {
  setToken(null);
  return new Promise((resolve) => {
    const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'current-password', required: true });
    const error = h('p', { class: 'field-error', id: 'token-error', role: 'alert', hidden: !refused },
      refused ? 'The server refused the token; enter the current one.' : '');
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Continue');
    const form = h('form', { class: 'card narrow', 'aria-labelledby': 'token-title' },
      h('h1', { id: 'token-title' }, 'API token'),
      h('p', {}, 'This server needs its bearer token (RESTACK_API_BEARER_TOKEN). It is kept in this tab only.'),
      h('div', { class: 'field' }, h('label', { for: 'token' }, 'Token'), input, error),
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const candidate = input.value.trim();
      if (!candidate) return showError('Enter the token.');
      submit.disabled = true;
      try {
        const state = await session(candidate);
        if (state.tokenRequired && !state.tokenAccepted) return showError('Wrong token: the server refused it.');
        setToken(candidate);
        resolve();
      } catch (e) {
        showError(`Could not check the token: ${e.message}`);
      } finally {
        submit.disabled = false;
      }
      return undefined;
    });
    function showError(text) {
      error.textContent = text;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'token-error');
      input.focus();
    }
    replace(main, form);
    input.focus();
  });
}
