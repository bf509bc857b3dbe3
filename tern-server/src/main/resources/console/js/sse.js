// Server-Sent Events read with fetch and a stream reader instead of EventSource, which cannot send
// the Authorization header. Resumes after a dropped connection with Last-Event-ID, as EventSource would.
import { authHeaders, unauthorized } from './api.js';

/**
 * Streams url until the server ends it for good (the run finished: the stream closes after its
 * terminal event, and a resume past it is answered 204) or signal aborts. onMessage gets
 * {id, event, data} with data parsed as JSON.
 */
export async function stream(url, { onMessage, onState = () => {}, signal }) {
  let lastId = null;
  let delay = 1000;
  while (!signal.aborted) {
    try {
      const headers = authHeaders({ Accept: 'text/event-stream' });
      if (lastId !== null) headers['Last-Event-ID'] = lastId;
      const response = await fetch(url, { headers, signal, cache: 'no-store' });
      if (response.status === 204) return onState('ended');
      if (response.status === 401) unauthorized();
      if (!response.ok) return onState('error', `HTTP ${response.status}`);
      onState('open');
      let terminal = false;
      await read(response.body, signal, (message) => {
        if (message.id !== null) lastId = message.id;
        if (/^run_(completed|failed|cancelled)$/.test(message.event)) terminal = true;
        onMessage(message);
      }, (retry) => { delay = retry; });
      if (terminal) return onState('ended');
    } catch (e) {
      if (signal.aborted) return undefined;
      onState('reconnecting', e.message);
    }
    await sleep(delay, signal);
  }
  return undefined;
}

async function read(body, signal, dispatch, setRetry) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const abort = () => reader.cancel().catch(() => {});
  signal.addEventListener('abort', abort, { once: true });
  let buffer = '';
  let message = { id: null, event: 'message', data: [] };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (message.data.length) {
            const text = message.data.join('\n');
            let data;
            try {
              data = JSON.parse(text);
            } catch {
              data = text;
            }
            dispatch({ id: message.id, event: message.event, data });
          }
          message = { id: null, event: 'message', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') message.data.push(val);
        else if (field === 'event') message.event = val;
        else if (field === 'id') message.id = val;
        else if (field === 'retry' && /^\d+$/.test(val)) setRetry(Number(val));
      }
    }
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
