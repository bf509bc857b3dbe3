// Server problems shown on forms: the field paths of a 400 relative to the form's own value.
import { h } from '../dom.js';

/** The problem's errors with the body member (input, eventInput, answer) taken off their paths. */
export function fieldErrors(error, member) {
  const prefix = `$.${member}`;
  return (error.errors || []).map((e) => ({
    field: e.field === prefix ? '$' : (e.field?.startsWith(`${prefix}.`) || e.field?.startsWith(`${prefix}[`) ? `$${e.field.slice(prefix.length)}` : e.field),
    message: e.message,
  }));
}

/** A live region listing what no field shows. */
export function formErrors() {
  const el = h('div', { class: 'form-errors', role: 'alert', hidden: true });
  return {
    element: el,
    show(message, errors = []) {
      el.replaceChildren();
      if (message) el.append(h('p', {}, message));
      if (errors.length) el.append(h('ul', {}, errors.map((e) => h('li', {}, e.field ? `${e.field}: ${e.message}` : e.message))));
      el.hidden = !message && !errors.length;
    },
    clear() {
      el.replaceChildren();
      el.hidden = true;
    },
  };
}
