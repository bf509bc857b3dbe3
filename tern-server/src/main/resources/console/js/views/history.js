// The run's history as it streams in: one row per event, newest at the bottom. A long history keeps
// the latest rows on screen and shows the rest on request.
import { h } from '../dom.js';
import { brief, time } from '../format.js';

const SHOWN = 300;

export function historyTable() {
  const tbody = h('tbody');
  const more = h('button', { type: 'button', hidden: true, onclick: showAll }, '');
  const element = h('div', { class: 'history' }, more,
    h('table', { class: 'compact', 'aria-label': 'History events' },
      h('thead', {}, h('tr', {}, ['#', 'At', 'Type', 'Step', 'Attempt', 'Data'].map((c) => h('th', { scope: 'col' }, c)))), tbody));
  const events = [];
  let all = false;

  function rowOf(e) {
    return h('tr', { class: `ev-${e.type}` },
      h('td', {}, String(e.eventSequence)), h('td', {}, time(e.at)), h('td', {}, h('code', {}, e.type)),
      h('td', {}, e.stepSeq ?? ''), h('td', {}, e.attempt ?? ''), h('td', { class: 'data' }, brief(e.data, 140)));
  }

  function add(e) {
    events.push(e);
    tbody.append(rowOf(e));
    if (!all && tbody.children.length > SHOWN) tbody.firstChild.remove();
    const hidden = events.length - tbody.children.length;
    more.hidden = hidden <= 0;
    more.textContent = `Show ${hidden} earlier events`;
  }

  function showAll() {
    all = true;
    tbody.replaceChildren(...events.map(rowOf));
    more.hidden = true;
  }

  return { element, add };
}
