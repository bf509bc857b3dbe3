import { h } from './dom.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export function isTerminal(status) {
  return TERMINAL.has(status);
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, status);
}

/** 2026-12-01 23:01:50 in the browser's time zone; the ISO text in its title. */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return h('time', { datetime: iso, title: iso }, text);
}

/** 850 ms, 4.2 s, 3 min 20 s, 2 h 5 min, 3 d 4 h. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours} h ${m % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function between(fromIso, toIso) {
  if (!fromIso) return null;
  return (toIso ? Date.parse(toIso) : Date.now()) - Date.parse(fromIso);
}

export function json(value) {
  return JSON.stringify(value, null, 2);
}

/** A JSON value in a pre block, or a dash when there is none. */
export function jsonBlock(value, label) {
  if (value === undefined) return h('p', { class: 'muted' }, '—');
  return h('pre', { class: 'json', tabindex: '0', 'aria-label': label }, json(value));
}

export function usd(value) {
  if (!value) return '$0';
  return value < 0.01 ? `$${value.toFixed(6)}` : `$${value.toFixed(4)}`;
}

export function number(value) {
  return (value ?? 0).toLocaleString('en-US');
}

/** One line of a JSON value, cut to max characters. */
export function brief(value, max = 80) {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
