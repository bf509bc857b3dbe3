// Every definition the server runs, with its input, output and event schemas, and a button to start
// a run of each agent and workflow.
import { definitions, runnable } from '../api.js';
import { h, replace } from '../dom.js';
import { jsonBlock } from '../format.js';
import { openStartDialog } from './start.js';

export function definitionsView(main) {
  replace(main, h('h1', {}, 'Definitions'), h('p', { class: 'muted' }, 'Loading…'));
  definitions().then((defs) => {
    const order = { agent: 0, workflow: 1, function: 2 };
    const rank = (d) => order[d.kind] ?? 3;
    const sorted = [...defs].sort((a, b) => rank(a) - rank(b) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    replace(main, h('h1', {}, 'Definitions'), ...sorted.map(card));
  }).catch((e) => replace(main, h('h1', {}, 'Definitions'), h('p', { class: 'error', role: 'alert' }, e.message)));
}

function card(d) {
  const titleId = `def-${d.kind}-${d.name}`;
  const schemas = [['Input schema', d.inputSchema], ['Output schema', d.outputSchema],
    ...Object.entries(d.events || {}).map(([name, schema]) => [`Event ${name}`, schema])];
  return h('section', { class: 'card definition', 'aria-labelledby': titleId },
    h('div', { class: 'section-head' },
      h('h2', { id: titleId }, d.name, ' ', h('span', { class: 'badge' }, d.kind)),
      runnable(d) ? h('button', { type: 'button', onclick: () => openStartDialog(d.name), 'aria-label': `Start a run of ${d.name}` }, 'Start a run') : null),
    d.events ? h('p', {}, 'Events: ', Object.keys(d.events).map((e) => h('code', { class: 'chip' }, e))) : null,
    ...schemas.map(([label, schema]) => h('details', {}, h('summary', {}, label), jsonBlock(schema, `${d.name} ${label}`))));
}
