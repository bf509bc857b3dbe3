// The runs list: newest first, filtered by name, kind, status and thread (kept in the address, so a
// filtered list can be linked), paged with the API's cursors. The page on screen is read again every
// two seconds: new runs appear at the top and rows whose run changed are updated in place.
import { definitions, runnable, get, query } from '../api.js';
import { h, link, replace, uid } from '../dom.js';
import { between, duration, statusBadge, time } from '../format.js';
import { navigate } from '../router.js';
import { openStartDialog } from './start.js';

const STATUSES = ['queued', 'running', 'awaiting-human', 'completed', 'failed', 'cancelled'];
const PAGE_SIZE = 25;
const POLL_MS = 2000;

export function runsView(main) {
  const params = new URLSearchParams(location.search);
  const filters = {
    name: params.get('name') || '', kind: params.get('kind') || '', status: params.get('status') || '', threadId: params.get('threadId') || '',
  };
  const cursors = [null];
  const rows = new Map();
  let timer = null;
  let stopped = false;
  let loaded = false;
  let controller = new AbortController();

  const nameSelect = h('select', { id: uid('name'), name: 'name' }, h('option', { value: '' }, 'any'));
  const kindSelect = h('select', { id: uid('kind'), name: 'kind' },
    h('option', { value: '' }, 'any'), ['workflow', 'agent', 'tool', 'mcp_server'].map((k) => h('option', { value: k }, k)));
  const statusSelect = h('select', { id: uid('status'), name: 'status' }, h('option', { value: '' }, 'any'),
    STATUSES.map((s) => h('option', { value: s }, s)));
  const threadInput = h('input', { type: 'search', id: uid('thread'), name: 'threadId', placeholder: 'thread id', autocomplete: 'off' });
  kindSelect.value = filters.kind;
  statusSelect.value = filters.status;
  threadInput.value = filters.threadId;

  const filterForm = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter runs' },
    labelled('Name', nameSelect), labelled('Kind', kindSelect), labelled('Status', statusSelect), labelled('Thread', threadInput),
    h('button', { type: 'submit' }, 'Filter'),
    h('button', { type: 'button', onclick: () => { nameSelect.value = ''; kindSelect.value = ''; statusSelect.value = ''; threadInput.value = ''; apply(); } }, 'Clear'));
  filterForm.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  for (const select of [nameSelect, kindSelect, statusSelect]) select.addEventListener('change', apply);

  const tbody = h('tbody');
  const empty = h('p', { class: 'muted', hidden: true }, 'No runs match.');
  const newer = h('button', { type: 'button', onclick: () => page(-1) }, '← Newer');
  const older = h('button', { type: 'button', onclick: () => page(1) }, 'Older →');
  const pageLabel = h('span', { class: 'muted' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });

  replace(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Runs'),
      h('button', { type: 'button', class: 'primary', onclick: () => openStartDialog() }, 'Start a run')),
    filterForm, error,
    h('table', { class: 'runs', 'aria-label': 'Runs, newest first' },
      h('thead', {}, h('tr', {}, ['Run', 'Name', 'Kind', 'Status', 'Created', 'Duration', 'Waiting on'].map((c) => h('th', { scope: 'col' }, c)))),
      tbody),
    empty,
    h('nav', { class: 'pager', 'aria-label': 'Pages of runs' }, newer, pageLabel, older));

  definitions().then((defs) => {
    for (const d of defs.filter(runnable)) nameSelect.append(h('option', { value: d.name }, d.name));
    if (filters.name && ![...nameSelect.options].some((o) => o.value === filters.name)) nameSelect.append(h('option', { value: filters.name }, filters.name));
    nameSelect.value = filters.name;
  }).catch(() => {});

  function apply() {
    const next = { name: nameSelect.value, kind: kindSelect.value, status: statusSelect.value, threadId: threadInput.value.trim() };
    navigate(`/${query(next)}`, { replaceState: true });
  }

  function page(delta) {
    if (delta > 0 && !older.dataset.cursor) return;
    if (delta > 0) cursors.push(older.dataset.cursor);
    else if (cursors.length > 1) cursors.pop();
    rows.clear();
    tbody.replaceChildren();
    loaded = false;
    refresh();
  }

  async function refresh() {
    clearTimeout(timer);
    controller.abort();
    controller = new AbortController();
    try {
      const cursor = cursors[cursors.length - 1];
      const data = await get(`/v1/runs${query({ ...filters, limit: PAGE_SIZE, cursor })}`, { signal: controller.signal });
      show(data);
      error.hidden = true;
    } catch (e) {
      if (e.name === 'AbortError') return;
      error.textContent = `Could not read runs: ${e.message}`;
      error.hidden = false;
    }
    if (!stopped) timer = setTimeout(refresh, POLL_MS);
  }

  function show(data) {
    const seen = new Set();
    let previous = null;
    for (const run of data.runs) {
      seen.add(run.runId);
      let entry = rows.get(run.runId);
      if (!entry) {
        entry = { tr: h('tr', { dataset: { runId: run.runId } }), key: null };
        rows.set(run.runId, entry);
        if (loaded) entry.tr.classList.add('fresh');
      }
      const key = `${run.status}|${run.eventSequence}|${run.updatedAt}|${run.completedAt}`;
      if (entry.key !== key) {
        if (entry.key !== null) entry.tr.classList.add('changed');
        entry.key = key;
        fill(entry.tr, run);
      }
      const wanted = previous ? previous.nextSibling : tbody.firstChild;
      if (wanted !== entry.tr) tbody.insertBefore(entry.tr, wanted);
      previous = entry.tr;
    }
    for (const [id, entry] of rows) {
      if (!seen.has(id)) {
        entry.tr.remove();
        rows.delete(id);
      }
    }
    empty.hidden = data.runs.length > 0;
    newer.disabled = cursors.length === 1;
    older.disabled = !data.nextCursor;
    older.dataset.cursor = data.nextCursor || '';
    pageLabel.textContent = `Page ${cursors.length}`;
    if (!loaded) performance.mark('tern:runs-rendered');
    loaded = true;
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    controller.abort();
  };
}

function fill(tr, run) {
  const waiting = run.blockedReason ? run.blockedReason.replace(/_/g, ' ') : '';
  tr.replaceChildren(
    h('td', {}, link(`/runs/${encodeURIComponent(run.runId)}`, h('code', {}, run.runId))),
    h('td', {}, run.name),
    h('td', {}, run.kind),
    h('td', { class: 'status-cell' }, statusBadge(run.status)),
    h('td', {}, time(run.createdAt)),
    h('td', {}, duration(between(run.startedAt || run.createdAt, run.completedAt))),
    h('td', { class: 'muted' }, waiting));
}

function labelled(text, input) {
  return h('div', { class: 'field' }, h('label', { for: input.id }, text), input);
}
