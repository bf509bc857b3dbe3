// A run's page: what it is and did (summary, links, metrics, attempts), what can be done to it (answer
// its question, send it an event, cancel it), its steps on a time axis, an agent's conversation, and
// its history, live: the run's SSE stream appends history and the model's tokens as they come, and
// the run is read again when the stream shows it changed.
import { definition, get } from '../api.js';
import { h, replace } from '../dom.js';
import { isTerminal } from '../format.js';
import { stream } from '../sse.js';
import { actPanel } from './act.js';
import { conversation } from './conversation.js';
import { historyTable } from './history.js';
import { header, summary } from './run-summary.js';
import { timeline } from './timeline.js';

const REFRESH_MS = 500;

export function runView(main, runId) {
  const controller = new AbortController();
  const signal = controller.signal;
  const base = `/v1/runs/${encodeURIComponent(runId)}`;
  const state = { run: null, events: [], tokens: new Map(), children: [], interactions: [], def: null };
  let refreshTimer = null;
  let refreshing = false;
  let again = false;

  const headerSlot = h('div');
  const summarySlot = h('div');
  const history = historyTable();
  const act = actPanel(base, () => state, { refresh: () => refresh() });
  const line = timeline();
  const talk = conversation();
  const streamState = h('span', { class: 'muted', role: 'status' });
  const talkSection = h('section', { class: 'card', 'aria-labelledby': 'talk-title', hidden: true },
    h('h2', { id: 'talk-title' }, 'Conversation'), talk.element);

  replace(main, h('p', { class: 'muted' }, 'Loading run…'));

  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      const run = await get(base, { signal });
      const needsChildren = !state.run || state.events.some((e) => e.type === 'child_started' && e.eventSequence > state.run.eventSequence);
      state.run = run;
      const [children, interactions] = await Promise.all([
        needsChildren ? get(`/v1/runs?parentRunId=${encodeURIComponent(runId)}&limit=50`, { signal }).then((d) => d.runs) : state.children,
        run.openInteractionCount > 0 || state.interactions.some((i) => i.status === 'open')
          ? get(`${base}/interactions`, { signal }).then((d) => d.interactions) : state.interactions,
      ]);
      state.children = children;
      state.interactions = interactions;
      draw();
    } catch (e) {
      if (e.name === 'AbortError') return;
      if (!state.run) {
        replace(main, h('h1', {}, 'Run not found'), h('p', { class: 'error', role: 'alert' }, e.message));
        controller.abort();
        return;
      }
    } finally {
      refreshing = false;
    }
    if (again && !signal.aborted) {
      again = false;
      refresh();
    }
  }

  let redrawTimer = null;
  /** Draws again what history alone changes (retry marks, the conversation) when no new read of the run is due. */
  function redrawSoon() {
    if (redrawTimer || !state.run) return;
    redrawTimer = setTimeout(() => {
      redrawTimer = null;
      line.update(state.run, state.events);
      if (state.run.kind === 'agent') talk.update(state.run, state.events, state.tokens);
    }, 150);
  }

  function scheduleRefresh() {
    if (refreshTimer || signal.aborted) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      refresh();
    }, REFRESH_MS);
  }

  let laidOut = false;
  function draw() {
    const { run } = state;
    replace(headerSlot, header(run, act.cancelButton(run)));
    replace(summarySlot, summary(run, state.children));
    act.update();
    line.update(run, state.events);
    if (run.kind === 'agent') {
      talkSection.hidden = false;
      talk.update(run, state.events, state.tokens);
    }
    if (!laidOut) {
      laidOut = true;
      const agent = run.kind === 'agent' ? h('div', { class: 'agent-grid' }, talkSection, act.eventSlot) : null;
      replace(main, headerSlot, act.element, agent, summarySlot,
        h('section', { class: 'card', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Timeline'), line.element),
        h('section', { class: 'card', 'aria-labelledby': 'history-title' },
          h('div', { class: 'section-head' }, h('h2', { id: 'history-title' }, 'History'), streamState), history.element));
      document.title = `${run.name} ${run.runId} · Tern`;
      performance.mark('tern:run-rendered');
    }
  }

  function onMessage(message) {
    if (message.event === 'token') {
      const { stepSeq, text } = message.data;
      state.tokens.set(stepSeq, (state.tokens.get(stepSeq) || '') + text);
      if (state.run?.kind === 'agent') talk.update(state.run, state.events, state.tokens);
      return;
    }
    const event = message.data;
    state.events.push(event);
    history.add(event);
    if (event.stepSeq !== undefined && /^step_(completed|failed)$/.test(event.type)) state.tokens.delete(event.stepSeq);
    if (!state.run || event.eventSequence > state.run.eventSequence) scheduleRefresh();
    else redrawSoon();
  }

  (async () => {
    await refresh();
    if (signal.aborted || !state.run) return;
    if (state.run.kind === 'agent') {
      try {
        state.def = await definition(state.run.name);
      } catch {
        state.def = null;
      }
      act.update();
    }
    const labels = { open: 'live', reconnecting: 'reconnecting…', ended: 'run ended; history complete', error: 'stream unavailable' };
    await stream(`${base}/stream`, {
      signal,
      onMessage,
      onState: (s, detail) => {
        streamState.textContent = labels[s] + (detail && s === 'error' ? ` (${detail})` : '');
        if (s === 'ended' && state.run && !isTerminal(state.run.status)) scheduleRefresh();
      },
    });
  })();

  return () => {
    clearTimeout(refreshTimer);
    clearTimeout(redrawTimer);
    controller.abort();
    act.close();
    document.title = 'Tern console';
  };
}
