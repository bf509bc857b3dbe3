// An agent run's conversation, rebuilt from its history: each event it received is a turn from the
// user (messages shown as messages, any other event as its name and input), each handled event's
// result a reply; the tool calls a turn made are folded in beneath it, and a model reply still being
// written shows its tokens as they stream.
import { h } from '../dom.js';
import { brief, jsonBlock } from '../format.js';

const TOOL_TYPES = new Set(['tool_call', 'tool_result']);

export function conversation() {
  const element = h('div', { class: 'conversation', 'aria-live': 'polite' });
  let lastKey = null;

  function update(run, events, tokens) {
    const key = `${events.length}|${(run.steps || []).length}|${[...tokens.values()].map((t) => t.length).join(',')}`;
    if (key === lastKey) return;
    lastKey = key;
    const steps = new Map((run.steps || []).map((s) => [s.seq, s]));
    const items = [];
    let known = 0;
    const initial = run.input?.messages;
    if (Array.isArray(initial)) {
      initial.forEach((m) => items.push(message(m)));
      known = initial.length;
    }
    for (const e of events) {
      if (e.type === 'event_received') {
        const input = e.data?.eventInput;
        if (Array.isArray(input?.messages)) {
          input.messages.forEach((m) => items.push(message(m)));
          known += input.messages.length;
        } else {
          items.push(eventTurn(e.data?.eventName, input));
        }
      } else if (e.type === 'event_handled') {
        const result = e.data?.result;
        if (Array.isArray(result?.messages)) {
          result.messages.slice(known).forEach((m) => items.push(message(m)));
          known = Math.max(known, result.messages.length);
        } else if (result && typeof result === 'object' && typeof result.content === 'string') {
          items.push(message(result));
          known += 1;
        } else if (typeof result === 'string') {
          items.push(message({ role: 'assistant', content: result }, e.data?.eventName));
        } else if (result !== undefined && result !== null) {
          items.push(h('p', { class: 'handled muted' }, `${e.data?.eventName} handled: ${brief(result, 200)}`));
        }
      } else if (e.type === 'step_completed' || e.type === 'step_failed') {
        const step = steps.get(e.stepSeq);
        if (step && TOOL_TYPES.has(step.type) && step.type === 'tool_call') items.push(toolCall(step, findResult(run.steps, step)));
      }
    }
    for (const [seq, text] of tokens) {
      items.push(h('div', { class: 'msg role-assistant live', dataset: { stepSeq: seq } },
        h('span', { class: 'msg-role' }, 'assistant · writing…'), h('p', { class: 'msg-text' }, text)));
    }
    element.replaceChildren(...(items.length ? items : [h('p', { class: 'muted' }, 'No messages yet.')]));
  }

  return { element, update };
}

function message(m, eventName) {
  const role = m.role || 'assistant';
  return h('div', { class: `msg role-${role.replace(/[^a-z]/g, '')}` },
    h('span', { class: 'msg-role' }, eventName ? `${role} · ${eventName}` : role),
    h('p', { class: 'msg-text' }, m.content ?? ''));
}

function eventTurn(name, input) {
  const text = input && typeof input === 'object' && Object.keys(input).length === 1 && typeof Object.values(input)[0] === 'string'
    ? Object.values(input)[0] : (input === undefined || (input && typeof input === 'object' && !Object.keys(input).length) ? '' : brief(input, 400));
  return h('div', { class: 'msg role-user' }, h('span', { class: 'msg-role' }, `event · ${name}`), text ? h('p', { class: 'msg-text' }, text) : null);
}

function findResult(steps, call) {
  return (steps || []).find((s) => s.seq > call.seq && s.type === 'tool_result');
}

function toolCall(step, result) {
  const args = typeof step.input?.arguments === 'string' ? step.input.arguments : step.input;
  const summaryText = `Tool call: ${step.input?.name || step.name}${args !== undefined ? ` ${brief(args, 80)}` : ''}`;
  return h('details', { class: 'tool-call' }, h('summary', {}, summaryText),
    h('div', { class: 'io' },
      h('div', {}, h('h4', {}, 'Arguments'), jsonBlock(step.input, 'Tool arguments')),
      h('div', {}, h('h4', {}, step.error ? 'Error' : 'Result'), step.error ? h('p', { class: 'error-text' }, step.error.message) : jsonBlock(result ? result.output : step.output, 'Tool result'))));
}
