// A form generated from a JSON Schema: a checkbox for a boolean, a text field for a string or a
// number, a select for an enum or a nullable boolean, a fieldset for a nested object, and a JSON
// text area for anything else (arrays, unions). Every input has a label; errors show beside the
// field they concern, whether found here or sent back by the server.
import { h, uid } from './dom.js';
import { mainType, resolve, skeleton, validate } from './schema.js';

/**
 * Builds the fields of schema. read() gives {value, errors}; showErrors([{field, message}]) puts
 * each error beside its field (paths as the server writes them: $.a.b) and returns those that
 * belong to no field.
 */
export function schemaForm(schema, { root = schema, label = 'Input' } = {}) {
  const s = resolve(schema, root);
  const { type } = mainType(s);
  const top = type === 'object' && s.properties && Object.keys(s.properties).length
    ? objectFields(s, root, '$', true)
    : (type === 'object' && !s.properties && s.additionalProperties === false ? emptyObject() : jsonField(label, s, root, '$', true));
  const fields = collect(top);
  const element = h('div', { class: 'schema-form' }, top.element);
  return {
    element,
    read() {
      clear(fields);
      const result = top.read();
      const errors = [...result.errors];
      const value = result.present ? result.value : (type === 'object' ? {} : null);
      if (!errors.length) errors.push(...validate(s, value, root));
      return { value, errors };
    },
    showErrors(errors) {
      clear(fields);
      const unplaced = [];
      for (const e of errors) {
        const target = fields.filter((f) => e.field === f.path || e.field?.startsWith(`${f.path}.`) || e.field?.startsWith(`${f.path}[`))
          .sort((a, b) => b.path.length - a.path.length)[0];
        if (target && target.input) target.setError(target.path === e.field ? e.message : `${e.field.slice(target.path.length).replace(/^\./, '')} ${e.message}`);
        else unplaced.push(e);
      }
      const first = fields.find((f) => f.input && f.input.getAttribute('aria-invalid') === 'true');
      if (first) first.input.focus();
      return unplaced;
    },
  };
}

function collect(field, out = []) {
  out.push(field);
  for (const child of field.children || []) collect(child, out);
  return out;
}

function clear(fields) {
  for (const f of fields) if (f.input) f.setError(null);
}

function emptyObject() {
  return { path: '$', element: h('p', { class: 'muted' }, 'No input fields.'), read: () => ({ present: true, value: {}, errors: [] }) };
}

function objectFields(schema, root, path, required, name) {
  const children = Object.entries(schema.properties || {}).map(([prop, sub]) =>
    fieldFor(prop, resolve(sub, root), root, `${path}.${prop}`, (schema.required || []).includes(prop)));
  const body = children.map((c) => c.element);
  const element = name ? h('fieldset', { class: 'nested' }, h('legend', {}, name, required ? requiredMark() : null), body) : h('div', { class: 'fields' }, body);
  return {
    path,
    children,
    element,
    read() {
      const value = {};
      const errors = [];
      let any = false;
      for (const c of children) {
        const r = c.read();
        errors.push(...r.errors);
        if (r.present) {
          value[c.name] = r.value;
          any = true;
        }
      }
      return { present: required || any, value, errors };
    },
  };
}

function fieldFor(name, schema, root, path, required) {
  const { type, nullable } = mainType(schema);
  if (type === 'object' && schema.properties) return { ...objectFields(schema, root, path, required, name), name };
  if (type === 'boolean' && !nullable && !schema.enum) return { ...checkbox(name, schema, path), name };
  if (schema.enum || type === 'boolean') return { ...select(name, schema, path, required), name };
  if (type === 'string' || type === 'number' || type === 'integer') return { ...textField(name, schema, path, required, type), name };
  return { ...jsonField(name, schema, root, path, required), name };
}

function requiredMark() {
  return h('span', { class: 'required', title: 'required' }, ' *');
}

/** The label, hint and error slot around an input, and setError for it. */
function wrap(name, schema, path, input, required, { inline = false } = {}) {
  const id = input.id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const hint = schema.description ? h('p', { class: 'hint', id: `${id}-hint` }, schema.description) : null;
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  const label = h('label', { for: id }, name, required ? requiredMark() : null);
  const element = inline
    ? h('div', { class: 'field field-inline', dataset: { path } }, input, label, hint, error)
    : h('div', { class: 'field', dataset: { path } }, label, hint, input, error);
  return {
    path,
    input,
    element,
    setError(message) {
      error.hidden = !message;
      error.textContent = message || '';
      if (message) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(' '));
      } else {
        input.removeAttribute('aria-invalid');
        if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
        else input.removeAttribute('aria-describedby');
      }
    },
  };
}

function checkbox(name, schema, path) {
  const input = h('input', { type: 'checkbox', id: uid('field'), name });
  if (schema.default === true) input.checked = true;
  const w = wrap(name, schema, path, input, false, { inline: true });
  return { ...w, read: () => ({ present: true, value: input.checked, errors: [] }) };
}

function select(name, schema, path, required) {
  const options = schema.enum || [true, false];
  const input = h('select', { id: uid('field'), name, required },
    !required || mainType(schema).nullable ? h('option', { value: '' }, '—') : null,
    options.map((o, i) => h('option', { value: String(i) }, String(o))));
  const w = wrap(name, schema, path, input, required);
  return {
    ...w,
    read() {
      if (input.value === '') return { present: required, value: null, errors: [] };
      return { present: true, value: options[Number(input.value)], errors: [] };
    },
  };
}

function textField(name, schema, path, required, type) {
  const numeric = type !== 'string';
  const input = h('input', {
    type: 'text', id: uid('field'), name, required, autocomplete: 'off', spellcheck: numeric ? 'false' : null,
    inputmode: numeric ? (type === 'integer' ? 'numeric' : 'decimal') : null,
  });
  if (schema.default !== undefined) input.value = String(schema.default);
  const w = wrap(name, schema, path, input, required);
  return {
    ...w,
    read() {
      const raw = input.value;
      if (raw.trim() === '') {
        if (required && !mainType(schema).nullable) return { present: false, value: undefined, errors: [{ field: path, message: 'is required' }] };
        return { present: false, value: undefined, errors: [] };
      }
      if (!numeric) return { present: true, value: raw, errors: [] };
      const n = Number(raw.trim());
      if (!Number.isFinite(n)) return { present: false, errors: [{ field: path, message: 'must be a number' }] };
      if (type === 'integer' && !Number.isInteger(n)) return { present: false, errors: [{ field: path, message: 'must be a whole number' }] };
      return { present: true, value: n, errors: [] };
    },
  };
}

function jsonField(name, schema, root, path, required) {
  const input = h('textarea', { id: uid('field'), name, rows: 4, spellcheck: 'false', class: 'code' });
  if (required) input.value = JSON.stringify(skeleton(schema, root) ?? null, null, 2);
  const w = wrap(`${name} (JSON)`, schema, path, input, required);
  return {
    ...w,
    read() {
      const raw = input.value.trim();
      if (raw === '') {
        if (required) return { present: false, errors: [{ field: path, message: 'is required' }] };
        return { present: false, errors: [] };
      }
      try {
        return { present: true, value: JSON.parse(raw), errors: [] };
      } catch (e) {
        return { present: false, errors: [{ field: path, message: `is not valid JSON: ${e.message}` }] };
      }
    },
  };
}
