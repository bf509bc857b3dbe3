// A run's steps as bars on one time axis, from the run's creation to its end (or now). Waits (sleeps,
// events, questions, children) are hatched; each retry of a step is a tick on its bar, taken from the
// history's step_started events. Each row opens to the step's type, input, output, error and usage.
// Long runs are shown a page of steps at a time.
import { h, replace } from '../dom.js';
import { duration, jsonBlock, number, time, usd } from '../format.js';

const PAGE = 100;
const WAITS = new Set(['sleep', 'event', 'human', 'child']);

export function timeline() {
  const element = h('div', { class: 'timeline' });
  const open = new Set();
  let page = 0;
  let lastKey = null;
  let last = null;

  function update(run, events) {
    const steps = run.steps || [];
    const key = `${run.status}|${run.eventSequence}|${steps.length}|${page}|${events.length}`;
    if (key === lastKey && run.status !== 'running') return;
    lastKey = key;
    last = { run, events };
    draw(run, events, steps);
  }

  function draw(run, events, steps) {
    if (!steps.length) {
      element.replaceChildren(h('p', { class: 'muted' }, 'No steps yet.'));
      return;
    }
    const tries = new Map();
    for (const e of events) {
      if ((e.type === 'step_started' || e.type === 'step_retrying') && e.stepSeq !== undefined) {
        if (!tries.has(e.stepSeq)) tries.set(e.stepSeq, []);
        tries.get(e.stepSeq).push({ type: e.type, at: Date.parse(e.at) });
      }
    }
    const t0 = Date.parse(run.startedAt || run.createdAt);
    const ends = steps.map((s) => Date.parse(s.completedAt || s.startedAt));
    const t1 = Math.max(run.completedAt ? Date.parse(run.completedAt) : Date.now(), ...ends, t0 + 1);
    const span = t1 - t0;
    const pages = Math.ceil(steps.length / PAGE);
    page = Math.min(page, pages - 1);
    const shown = steps.slice(page * PAGE, (page + 1) * PAGE);
    const pct = (t) => `${Math.max(0, Math.min(100, ((t - t0) / span) * 100))}%`;

    const axis = h('div', { class: 'tl-axis', 'aria-hidden': 'true' }, h('span', { class: 'tl-label' }),
      h('div', { class: 'tl-track' }, [0, 0.25, 0.5, 0.75, 1].map((f) =>
        h('span', { class: 'tl-tick', style: { left: `${f * 100}%` } }, f === 0 ? '0' : duration(span * f)))));
    const focused = document.activeElement?.closest?.('details.tl-row')?.dataset.seq;
    const rows = shown.map((s) => row(s, tries.get(s.seq) || [], pct, t1));
    const refocus = rows.find((r) => r.dataset.seq === focused);
    const pager = pages > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pages of steps' },
      h('button', { type: 'button', disabled: page === 0, onclick: () => { page -= 1; draw(last.run, last.events, last.run.steps); } }, '← Earlier steps'),
      h('span', { class: 'muted' }, `Steps ${page * PAGE + 1}–${page * PAGE + shown.length} of ${steps.length}`),
      h('button', { type: 'button', disabled: page >= pages - 1, onclick: () => { page += 1; draw(last.run, last.events, last.run.steps); } }, 'Later steps →')) : null;
    replace(element, h('p', { class: 'muted' }, `From ${new Date(t0).toLocaleTimeString()} over ${duration(span)}`), axis, rows, pager);
    if (refocus) refocus.querySelector('summary').focus({ preventScroll: true }); // drawn again under the keyboard's focus
  }

  function row(step, attempts, pct, now) {
    const start = Date.parse(step.startedAt);
    const end = step.completedAt ? Date.parse(step.completedAt) : now;
    const wait = WAITS.has(step.kind);
    const classes = ['tl-bar', `kind-${step.kind}`, `step-${step.status}`, wait ? 'wait' : '', step.attempts > 1 ? 'retried' : ''].join(' ');
    const left = pct(start);
    const width = `max(3px, calc(${pct(end)} - ${left}))`;
    const ticks = retries(attempts, pct, end, step.status);
    const label = `${step.seq} ${step.name}`;
    const note = [step.type, step.attempts > 1 ? `${step.attempts} attempts` : '', step.durationMs !== undefined ? duration(step.durationMs) : step.status].filter(Boolean).join(' · ');
    const details = h('details', { class: 'tl-row', dataset: { seq: step.seq } },
      h('summary', { 'aria-label': `Step ${label}: ${note}` },
        h('span', { class: 'tl-label' }, h('span', { class: 'tl-name' }, label), h('span', { class: 'tl-note' }, note)),
        h('span', { class: 'tl-track' }, h('span', { class: classes, style: { left, width } }), ticks)),
      h('div', { class: 'tl-detail' }, stepDetail(step)));
    if (open.has(step.seq)) details.open = true;
    details.addEventListener('toggle', () => (details.open ? open.add(step.seq) : open.delete(step.seq)));
    return details;
  }

  return { element, update };
}

/**
 * Each failed attempt of a retried step as a segment from its start to its failure, the backoff
 * after it left as a gap, and a tick where each retry started.
 */
function retries(attempts, pct, end, status) {
  const marks = [];
  const starts = attempts.filter((a) => a.type === 'step_started');
  attempts.forEach((a, i) => {
    if (a.type !== 'step_retrying') return;
    const start = [...attempts.slice(0, i)].reverse().find((b) => b.type === 'step_started');
    if (start) {
      marks.push(h('span', { class: 'tl-attempt', style: { left: pct(start.at), width: `max(2px, calc(${pct(a.at)} - ${pct(start.at)}))` },
        title: `failed attempt, ${a.at - start.at} ms` }));
    }
  });
  const last = starts[starts.length - 1];
  if (starts.length > 1 && status === 'completed') {
    marks.push(h('span', { class: 'tl-attempt ok', style: { left: pct(last.at), width: `max(2px, calc(${pct(end)} - ${pct(last.at)}))` }, title: 'the attempt that succeeded' }));
  }
  starts.slice(1).forEach((s) => marks.push(h('span', { class: 'tl-retry', style: { left: pct(s.at) }, title: `retry at ${new Date(s.at).toISOString()}` })));
  return marks;
}

function stepDetail(step) {
  const facts = [
    ['Type', step.type], ['Kind', step.kind], ['Status', step.status], ['Attempts', String(step.attempts)],
    ['Started', time(step.startedAt)], ['Completed', step.completedAt ? time(step.completedAt) : '—'],
    ['Duration', step.durationMs !== undefined ? duration(step.durationMs) : '—'], ['Run attempt', String(step.runAttempt)],
  ];
  if (step.usage) {
    facts.push(['Tokens', `${number(step.usage.inputTokens)} in, ${number(step.usage.outputTokens)} out`], ['Cost', usd(step.usage.costUsd)]);
  }
  return [
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('div', { class: 'io' },
      h('div', {}, h('h4', {}, 'Input'), jsonBlock(step.input, `Input of step ${step.seq}`)),
      step.error
        ? h('div', {}, h('h4', {}, 'Error'), h('p', { class: 'error-text' }, h('strong', {}, step.error.type), ': ', step.error.message))
        : h('div', {}, h('h4', {}, 'Output'), jsonBlock(step.output, `Output of step ${step.seq}`))),
  ];
}
