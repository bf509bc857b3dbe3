// Starts a run of any agent or workflow from a form generated from its input schema.
import { definitions, runnable, post } from '../api.js';
import { h, uid } from '../dom.js';
import { navigate } from '../router.js';
import { schemaForm } from '../schema-form.js';
import { fieldErrors, formErrors } from './problems.js';

export async function openStartDialog(preselected) {
  const defs = (await definitions()).filter(runnable);
  const select = h('select', { id: uid('definition'), name: 'definition' },
    defs.map((d) => h('option', { value: d.name }, `${d.name} (${d.kind})`)));
  if (preselected) select.value = preselected;
  const slot = h('div', { class: 'input-slot' });
  const errors = formErrors();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Start');
  const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, 'Close');
  let form = null;

  const body = h('form', { method: 'dialog', class: 'stack', novalidate: true, 'aria-labelledby': 'start-title' },
    h('h2', { id: 'start-title' }, 'Start a run'),
    h('div', { class: 'field' }, h('label', { for: select.id }, 'Definition'), select),
    h('h3', {}, 'Input'), slot, errors.element,
    h('div', { class: 'actions' }, submit, cancel));
  const dialog = h('dialog', { class: 'start-dialog', 'aria-labelledby': 'start-title' }, body);

  function showForm() {
    const def = defs.find((d) => d.name === select.value);
    form = schemaForm(def.inputSchema, { label: 'input' });
    slot.replaceChildren(form.element);
    errors.clear();
  }
  select.addEventListener('change', showForm);
  body.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    const { value, errors: problems } = form.read();
    if (problems.length) {
      errors.show(null, form.showErrors(problems));
      return;
    }
    submit.disabled = true;
    try {
      const run = await post('/v1/runs', { name: select.value, input: value });
      dialog.close();
      navigate(`/runs/${encodeURIComponent(run.runId)}`);
    } catch (e) {
      errors.show(e.message, form.showErrors(fieldErrors(e, 'input')));
    } finally {
      submit.disabled = false;
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  showForm();
  dialog.showModal();
  select.focus();
}
