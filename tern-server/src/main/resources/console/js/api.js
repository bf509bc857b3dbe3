// Tern's public REST API, with the bearer token the user typed (kept in this tab's sessionStorage,
// sent as a header, never in a URL).

const TOKEN_KEY = 'tern.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function authHeaders(extra = {}) {
  const t = token();
  return t ? { ...extra, Authorization: `Bearer ${t}` } : { ...extra };
}

/** An answer that was not 2xx: its status and problem details (title, detail, errors [{field, message}]). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  get errors() {
    return this.problem.errors || [];
  }
}

let onUnauthorized = () => {};

/** What to do when the API answers 401 (the token changed on the server): ask again. */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/** Tells the console the token was refused (by a request made outside request(), such as a stream). */
export function unauthorized() {
  onUnauthorized();
}

export async function request(method, path, body, { signal } = {}) {
  const headers = authHeaders({ Accept: 'application/json' });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  if (response.status === 204) return null;
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { detail: text };
    }
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, parsed);
  }
  return parsed;
}

export const get = (path, options) => request('GET', path, undefined, options);
export const post = (path, body, options) => request('POST', path, body ?? {}, options);
export const del = (path, options) => request('DELETE', path, undefined, options);

/** {tokenRequired, tokenAccepted, org, role} for the token held now (or the one given). Never answers 401. */
export async function session(candidate) {
  const headers = { Accept: 'application/json' };
  const t = candidate ?? token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const response = await fetch('/console/session', { headers, cache: 'no-store' });
  return response.json();
}

/** Query string from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

let definitionsCache = null;

/** The definitions, read once per page load. */
export async function definitions() {
  if (!definitionsCache) definitionsCache = get('/v1/definitions').then((d) => d.definitions);
  try {
    return await definitionsCache;
  } catch (e) {
    definitionsCache = null;
    throw e;
  }
}

/** Whether a definition can be started as a run (agents and workflows; functions are steps). */
export function runnable(d) {
  return d.kind === 'agent' || d.kind === 'workflow';
}

export async function definition(name) {
  return (await definitions()).find((d) => d.name === name && runnable(d));
}
