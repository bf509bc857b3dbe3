// What a person can do to a run: answer its open questions (a form from each answer schema), send an
// agent one of its events (JSON checked against the event's schema before it is sent), and cancel it
// after confirming.
import { post } from '../api.js';
import { h, uid, announce } from '../dom.js';
import { isTerminal, json } from '../format.js';
import { skeleton, validate } from '../schema.js';
import { schemaForm } from '../schema-form.js';
import { fieldErrors, formErrors } from './problems.js';

export function actPanel(base, getState, { refresh }) {
  const questions = h('div', { class: 'questions' });
  const eventSlot = h('div');
  const element = h('div', { class: 'act' }, questions);
  const forms = new Map();
  let eventForm = null;
  let dialog = null;

  function update() {
    const { run, interactions, def } = getState();
    const open = interactions.filter((i) => i.status === 'open' && !isTerminal(run.status));
    for (const [id, form] of forms) {
      if (!open.some((i) => i.interactionId === id) && !form.dataset.answered) {
        form.remove();
        forms.delete(id);
      }
    }
    for (const i of open) {
      if (!forms.has(i.interactionId)) {
        const form = questionForm(i);
        forms.set(i.interactionId, form);
        questions.append(form);
      }
    }
    const events = def?.events ? Object.keys(def.events) : [];
    if (run.kind === 'agent' && !isTerminal(run.status) && events.length) {
      if (!eventForm) {
        eventForm = eventSender(def.events);
        eventSlot.replaceChildren(eventForm);
      }
    } else if (eventForm) {
      eventForm.remove();
      eventForm = null;
    }
  }

  function questionForm(interaction) {
    const titleId = uid('question');
    const form = interaction.answerSchema ? schemaForm(interaction.answerSchema, { label: 'answer' }) : schemaForm({}, { label: 'answer' });
    const errors = formErrors();
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Send answer');
    const el = h('form', { class: 'card question', novalidate: true, 'aria-labelledby': titleId, dataset: { interactionId: interaction.interactionId } },
      h('h2', { id: titleId }, 'A question for you'),
      h('p', { class: 'prompt' }, interaction.prompt),
      form.element, errors.element, h('div', { class: 'actions' }, submit));
    el.addEventListener('submit', async (event) => {
      event.preventDefault();
      errors.clear();
      const { value, errors: problems } = form.read();
      if (problems.length) {
        errors.show(null, form.showErrors(problems));
        return;
      }
      submit.disabled = true;
      try {
        await post(`${base}/interactions/${encodeURIComponent(interaction.interactionId)}`, { answer: value });
        el.dataset.answered = 'true';
        el.replaceChildren(h('h2', { id: titleId }, 'Question answered'), h('p', { class: 'prompt' }, interaction.prompt),
          h('p', { class: 'ok', role: 'status' }, 'Answer sent.'));
        announce('Answer sent');
        refresh();
      } catch (e) {
        errors.show(e.message, form.showErrors(fieldErrors(e, 'answer')));
        submit.disabled = false;
      }
    });
    return el;
  }

  function eventSender(schemas) {
    const names = Object.keys(schemas);
    const select = h('select', { id: uid('event'), name: 'eventName' }, names.map((n) => h('option', { value: n }, n)));
    const text = h('textarea', { id: uid('event-input'), name: 'eventInput', rows: 5, class: 'code', spellcheck: 'false' });
    const error = h('div', { class: 'field-error', id: `${text.id}-error`, hidden: true });
    const result = h('p', { class: 'ok', role: 'status' });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Send event');
    let untouched = true;
    const fill = () => { text.value = json(skeleton(schemas[select.value])); };
    fill();
    select.addEventListener('change', () => { if (untouched || !text.value.trim()) fill(); });
    text.addEventListener('input', () => { untouched = false; });
    const showError = (lines) => {
      error.replaceChildren(...(lines.length ? [h('ul', {}, lines.map((l) => h('li', {}, l)))] : []));
      error.hidden = !lines.length;
      if (lines.length) {
        text.setAttribute('aria-invalid', 'true');
        text.setAttribute('aria-describedby', error.id);
      } else {
        text.removeAttribute('aria-invalid');
        text.removeAttribute('aria-describedby');
      }
    };
    const form = h('form', { class: 'card send-event', novalidate: true, 'aria-labelledby': 'send-title' },
      h('h2', { id: 'send-title' }, 'Send an event'),
      h('div', { class: 'field' }, h('label', { for: select.id }, 'Event'), select),
      h('div', { class: 'field' }, h('label', { for: text.id }, 'Event input (JSON)'), text, error),
      h('div', { class: 'actions' }, submit, result));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      result.textContent = '';
      let value;
      try {
        value = text.value.trim() ? JSON.parse(text.value) : {};
      } catch (e) {
        showError([`not valid JSON: ${e.message}`]);
        text.focus();
        return;
      }
      const problems = validate(schemas[select.value], value);
      if (problems.length) {
        showError(problems.map((p) => `${p.field} ${p.message}`));
        text.focus();
        return;
      }
      showError([]);
      submit.disabled = true;
      try {
        const receipt = await post(`${base}/events`, { eventName: select.value, eventInput: value });
        result.textContent = `Event ${receipt.eventName} accepted (#${receipt.inboxSequence}).`;
        announce(result.textContent);
      } catch (e) {
        showError([e.message, ...fieldErrors(e, 'eventInput').map((p) => `${p.field} ${p.message}`)]);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function cancelButton(run) {
    if (isTerminal(run.status)) return null;
    return h('button', { type: 'button', class: 'danger', onclick: () => confirmCancel(run) }, run.cancelRequested ? 'Cancelling…' : 'Cancel run');
  }

  function confirmCancel(run) {
    const yes = h('button', { type: 'button', class: 'danger' }, 'Cancel the run');
    const no = h('button', { type: 'button' }, 'Keep it running');
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'cancel-title', 'aria-describedby': 'cancel-text' },
      h('h2', { id: 'cancel-title' }, 'Cancel this run?'),
      h('p', { id: 'cancel-text' }, `${run.name} `, h('code', {}, run.runId), ' stops at its next step; its unfinished children are cancelled too. This cannot be undone.'),
      error, h('div', { class: 'actions' }, yes, no));
    no.addEventListener('click', () => dialog.close());
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await post(`${base}/cancel`);
        dialog.close();
        announce('Cancel requested');
        refresh();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
        yes.disabled = false;
      }
    });
    dialog.addEventListener('close', () => { dialog.remove(); dialog = null; });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  }

  return {
    element,
    eventSlot,
    update,
    cancelButton,
    close() {
      if (dialog) dialog.close();
    },
  };
}
