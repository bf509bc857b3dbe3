// Schedules: each with its next fire, paused or not; pause, resume, delete (confirmed), and a form
// to create one for any workflow, its input generated from the workflow's schema.
import { definitions, del, get, post } from '../api.js';
import { announce, h, link, replace, uid } from '../dom.js';
import { time } from '../format.js';
import { schemaForm } from '../schema-form.js';
import { fieldErrors, formErrors } from './problems.js';

export function schedulesView(main) {
  const tbody = h('tbody');
  const empty = h('p', { class: 'muted', hidden: true }, 'No schedules yet.');
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const createSlot = h('div', { class: 'create-slot' });
  let stopped = false;
  let timer = null;

  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Schedules')), error,
    h('table', { class: 'schedules', 'aria-label': 'Schedules' },
      h('thead', {}, h('tr', {}, ['Schedule', 'Workflow', 'When', 'Next fire', 'Last fire', 'Fires', 'State', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      tbody),
    empty, createSlot);

  async function load() {
    clearTimeout(timer);
    try {
      const data = await get('/v1/schedules');
      const list = data.schedules || [];
      tbody.replaceChildren(...list.map(rowOf));
      empty.hidden = list.length > 0;
      error.hidden = true;
    } catch (e) {
      error.textContent = `Could not read schedules: ${e.message}`;
      error.hidden = false;
    }
    if (!stopped) timer = setTimeout(load, 5000);
  }

  function rowOf(s) {
    const id = encodeURIComponent(s.scheduleId);
    const act = async (path, done) => {
      try {
        await post(`/v1/schedules/${id}/${path}`);
        announce(done);
        load();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    };
    const remove = async () => {
      if (!window.confirm(`Delete schedule ${s.scheduleId}? Runs it started are kept.`)) return;
      try {
        await del(`/v1/schedules/${id}`);
        announce(`Deleted ${s.scheduleId}`);
        load();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    };
    return h('tr', { dataset: { scheduleId: s.scheduleId } },
      h('td', {}, h('code', {}, s.scheduleId)), h('td', {}, s.workflow),
      h('td', {}, s.cron ? `cron ${s.cron} (${s.timezone})` : `every ${s.intervalSeconds} s`),
      h('td', {}, s.paused ? h('span', { class: 'muted' }, 'paused') : time(s.nextFireAt)),
      h('td', {}, s.lastRunId ? link(`/runs/${encodeURIComponent(s.lastRunId)}`, time(s.lastFireAt)) : time(s.lastFireAt)),
      h('td', {}, String(s.fireCount)),
      h('td', {}, s.paused ? 'paused' : 'active', s.lastError ? h('p', { class: 'error-text' }, s.lastError) : null),
      h('td', { class: 'row-actions' },
        s.paused
          ? h('button', { type: 'button', onclick: () => act('resume', `Resumed ${s.scheduleId}`), 'aria-label': `Resume ${s.scheduleId}` }, 'Resume')
          : h('button', { type: 'button', onclick: () => act('pause', `Paused ${s.scheduleId}`), 'aria-label': `Pause ${s.scheduleId}` }, 'Pause'),
        h('button', { type: 'button', class: 'danger', onclick: remove, 'aria-label': `Delete ${s.scheduleId}` }, 'Delete')));
  }

  definitions().then((defs) => createSlot.replaceChildren(createForm(defs.filter((d) => d.kind === 'workflow'), load))).catch(() => {});
  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function createForm(workflows, onCreated) {
  const idInput = h('input', { type: 'text', id: uid('sched-id'), name: 'scheduleId', autocomplete: 'off', placeholder: 'generated if empty' });
  const workflow = h('select', { id: uid('sched-wf'), name: 'workflow' }, workflows.map((w) => h('option', { value: w.name }, w.name)));
  const mode = h('select', { id: uid('sched-mode'), name: 'mode' }, h('option', { value: 'interval' }, 'every N seconds'), h('option', { value: 'cron' }, 'cron expression'));
  const every = h('input', { type: 'text', inputmode: 'numeric', id: uid('sched-every'), name: 'intervalSeconds', value: '60' });
  const cron = h('input', { type: 'text', id: uid('sched-cron'), name: 'cron', placeholder: '0 9 * * 1-5', autocomplete: 'off' });
  const zone = h('input', { type: 'text', id: uid('sched-tz'), name: 'timezone', value: 'UTC', autocomplete: 'off' });
  const paused = h('input', { type: 'checkbox', id: uid('sched-paused'), name: 'paused' });
  const everyField = h('div', { class: 'field' }, h('label', { for: every.id }, 'Interval (seconds)'), every);
  const cronField = h('div', { class: 'field', hidden: true }, h('label', { for: cron.id }, 'Cron (5 fields)'), cron,
    h('label', { for: zone.id }, 'Time zone'), zone);
  const slot = h('div');
  const errors = formErrors();
  let input = null;
  const showInput = () => {
    const def = workflows.find((w) => w.name === workflow.value);
    input = def ? schemaForm(def.inputSchema, { label: 'input' }) : null;
    slot.replaceChildren(input ? input.element : '');
  };
  mode.addEventListener('change', () => {
    everyField.hidden = mode.value !== 'interval';
    cronField.hidden = mode.value !== 'cron';
  });
  workflow.addEventListener('change', showInput);
  const form = h('form', { class: 'card stack', novalidate: true, 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, 'New schedule'),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: idInput.id }, 'Schedule id'), idInput),
      h('div', { class: 'field' }, h('label', { for: workflow.id }, 'Workflow'), workflow),
      h('div', { class: 'field' }, h('label', { for: mode.id }, 'Fires'), mode)),
    everyField, cronField,
    h('h3', {}, 'Input'), slot,
    h('div', { class: 'field field-inline' }, paused, h('label', { for: paused.id }, 'Start paused')),
    errors.element,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create schedule')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    const { value, errors: problems } = input.read();
    if (problems.length) {
      errors.show(null, input.showErrors(problems));
      return;
    }
    const body = { workflow: workflow.value, input: value, paused: paused.checked };
    if (idInput.value.trim()) body.scheduleId = idInput.value.trim();
    if (mode.value === 'cron') {
      body.cron = cron.value.trim();
      if (zone.value.trim()) body.timezone = zone.value.trim();
    } else {
      const n = Number(every.value);
      if (!Number.isInteger(n) || n < 1) {
        errors.show(null, [{ field: 'intervalSeconds', message: 'must be a whole number of seconds, at least 1' }]);
        every.focus();
        return;
      }
      body.intervalSeconds = n;
    }
    try {
      const created = await post('/v1/schedules', body);
      announce(`Created ${created.scheduleId}`);
      idInput.value = '';
      onCreated();
    } catch (e) {
      errors.show(e.message, input.showErrors(fieldErrors(e, 'input')));
    }
  });
  showInput();
  return form;
}
