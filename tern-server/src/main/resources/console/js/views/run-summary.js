// The top of a run's page: name and status, then what it was given and gave back, when, where it
// ran (attempts and the nodes that resumed them), what it cost, and the runs it is linked to.
import { h, link } from '../dom.js';
import { between, duration, jsonBlock, number, statusBadge, time, usd } from '../format.js';

export function header(run, cancelButton) {
  return h('div', { class: 'page-head' },
    h('div', {},
      h('h1', {}, run.name, ' ', statusBadge(run.status)),
      h('p', { class: 'muted' }, `${run.kind} run `, h('code', {}, run.runId))),
    h('div', { class: 'actions' }, cancelButton));
}

export function summary(run, children) {
  return h('div', { class: 'summary-grid' },
    h('section', { class: 'card', 'aria-labelledby': 'facts-title' }, h('h2', { id: 'facts-title' }, 'Run'), facts(run)),
    h('section', { class: 'card', 'aria-labelledby': 'metrics-title' }, h('h2', { id: 'metrics-title' }, 'Metrics'), metrics(run),
      h('h2', { id: 'links-title', class: 'second' }, 'Linked runs'), links(run, children)),
    h('section', { class: 'card', 'aria-labelledby': 'input-title' }, h('h2', { id: 'input-title' }, 'Input'), jsonBlock(run.input, 'Input')),
    h('section', { class: 'card', 'aria-labelledby': 'result-title' }, ...result(run)),
    h('section', { class: 'card wide', 'aria-labelledby': 'attempts-title' }, h('h2', { id: 'attempts-title' }, 'Attempts'), attempts(run)));
}

function result(run) {
  if (run.error) {
    return [h('h2', { id: 'result-title' }, 'Error'),
      h('p', { class: 'error-text' }, h('strong', {}, run.error.type), ': ', run.error.message),
      run.error.step ? h('p', { class: 'muted' }, `in step ${run.error.step}`) : null,
      run.error.errorId ? h('p', { class: 'muted' }, `error id ${run.error.errorId}`) : null];
  }
  if (run.output !== undefined) return [h('h2', { id: 'result-title' }, 'Output'), jsonBlock(run.output, 'Output')];
  return [h('h2', { id: 'result-title' }, 'Output'), h('p', { class: 'muted' }, 'Not finished yet.')];
}

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function facts(run) {
  const waiting = run.blockedReason ? `${run.blockedReason.replace(/_/g, ' ')}${run.waiting?.suspended ? ' (suspended)' : ''}` : null;
  return dl([
    ['Created', time(run.createdAt)],
    ['Started', run.startedAt ? time(run.startedAt) : null],
    ['Completed', run.completedAt ? time(run.completedAt) : null],
    ['Duration', duration(between(run.startedAt || run.createdAt, run.completedAt))],
    ['Attempt', String(run.attempt)],
    ['Waiting on', waiting],
    ['Waiting since', run.waitingSince ? time(run.waitingSince) : null],
    ['Wakes at', run.waiting?.wakeAt ? time(run.waiting.wakeAt) : null],
    ['Deadline', run.deadlineAt ? time(run.deadlineAt) : null],
    ['Thread', run.threadId ? link(`/?threadId=${encodeURIComponent(run.threadId)}`, run.threadId) : null],
    ['Idempotency key', run.idempotencyKey ? h('code', {}, run.idempotencyKey) : null],
    ['Cancel requested', run.cancelRequested ? 'yes' : null],
    ['History events', String(run.eventSequence)],
  ]);
}

function metrics(run) {
  const m = run.metrics || {};
  const rows = [
    ['Input tokens', number(m.input_tokens)],
    ['Output tokens', number(m.output_tokens)],
    ['Tool calls', number(m.tool_call_count)],
    ['Cost', usd(m.cost_usd)],
    ['Steps', number((run.steps || []).length)],
  ];
  if (run.budget) {
    const b = run.budget;
    rows.push(['Budget', `${b.maxCostUsd !== undefined ? usd(b.maxCostUsd) : ''}${b.maxTokens !== undefined ? ` ${number(b.maxTokens)} tokens` : ''} (on exceeded: ${b.onExceeded})${b.exhausted ? ', exhausted' : ''}`]);
  }
  return dl(rows);
}

function runLink(id) {
  return link(`/runs/${encodeURIComponent(id)}`, h('code', {}, id));
}

function links(run, children) {
  const continuedAs = run.output && typeof run.output === 'object' && !Array.isArray(run.output) ? run.output.continuedAs : null;
  const rows = [
    ['Parent', run.parentRunId ? runLink(run.parentRunId) : null],
    ['Continued from', run.continuedFrom ? runLink(run.continuedFrom) : null],
    ['Continued as', continuedAs ? runLink(continuedAs) : null],
    ['Agent', run.agentId ? runLink(run.agentId) : null],
    ['Children', children.length ? h('ul', { class: 'plain' }, children.map((c) => h('li', {}, runLink(c.runId), ` ${c.name} `, statusBadge(c.status)))) : null],
  ];
  if (rows.every(([, v]) => !v)) return h('p', { class: 'muted' }, 'None.');
  return dl(rows);
}

function attempts(run) {
  if (!run.attempts?.length) return h('p', { class: 'muted' }, 'Not started yet.');
  return h('table', { class: 'compact' },
    h('thead', {}, h('tr', {}, ['Attempt', 'Node', 'Started', 'Last keep-alive', 'Ended', 'Outcome', 'Resumed on'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, run.attempts.map((a) => h('tr', {},
      h('td', {}, String(a.attempt)), h('td', {}, h('code', {}, a.nodeId)), h('td', {}, time(a.startedAt)), h('td', {}, time(a.lastKeepAliveAt)),
      h('td', {}, a.endedAt ? time(a.endedAt) : '—'), h('td', {}, a.outcome || '—'),
      h('td', {}, a.resumes?.length ? h('ul', { class: 'plain' }, a.resumes.map((r) => h('li', {}, h('code', {}, r.nodeId), ' ', time(r.at)))) : '—')))));
}
