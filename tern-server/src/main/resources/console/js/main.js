// The console's entry point: checks whether the server wants a token, then routes each address to
// its view. Links marked data-link change the view without a page load; each view returns a
// function that stops what it started (polls, streams) when the user leaves it.
import { session, whenUnauthorized } from './api.js';
import { replace } from './dom.js';
import { navigate, onNavigate } from './router.js';
import { tokenPrompt } from './views/token.js';
import { runsView } from './views/runs.js';
import { runView } from './views/run.js';
import { schedulesView } from './views/schedules.js';
import { definitionsView } from './views/definitions.js';

const main = document.getElementById('main');
let leave = () => {};

const routes = [
  { pattern: /^\/$/, nav: 'runs', view: () => runsView(main) },
  { pattern: /^\/runs\/([^/]+)$/, nav: 'runs', view: (m) => runView(main, decodeURIComponent(m[1])) },
  { pattern: /^\/schedules$/, nav: 'schedules', view: () => schedulesView(main) },
  { pattern: /^\/definitions$/, nav: 'definitions', view: () => definitionsView(main) },
];

function render() {
  leave();
  leave = () => {};
  const path = location.pathname;
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    document.querySelectorAll('[data-nav]').forEach((a) => {
      if (a.dataset.nav === route.nav) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    leave = route.view(match) || (() => {});
    return;
  }
  replace(main, 'No such page.');
}

async function start() {
  const state = await session();
  if (state.tokenRequired && !state.tokenAccepted) {
    await tokenPrompt(main, { refused: Boolean(sessionStorage.getItem('tern.token')) });
  }
  render();
}

document.addEventListener('click', (event) => {
  const a = event.target.closest('a[data-link]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
  main.focus({ preventScroll: true });
});

window.addEventListener('popstate', render);
onNavigate(render);

whenUnauthorized(async () => {
  leave();
  leave = () => {};
  await tokenPrompt(main, { refused: true });
  render();
});

start().catch((e) => replace(main, `The console could not start: ${e.message}`));
