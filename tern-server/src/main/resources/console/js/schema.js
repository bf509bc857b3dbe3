// The part of JSON Schema (2020-12) that Tern generates for records: types (a nullable component is
// ["string", "null"]), properties, required, additionalProperties, items, enum, const, numeric and
// length bounds, pattern, $ref into $defs, anyOf/oneOf. Errors use the server's paths ($.a.b[0]),
// so the server's own 400s land on the same fields.

export function types(schema) {
  if (!schema || schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** The schema's type besides null, and whether null is allowed. */
export function mainType(schema) {
  const all = types(schema);
  const nonNull = all.filter((t) => t !== 'null');
  return { type: nonNull.length === 1 ? nonNull[0] : (nonNull.length === 0 ? undefined : 'mixed'), nullable: all.includes('null') };
}

export function resolve(schema, root) {
  let s = schema;
  for (let i = 0; s && s.$ref && i < 20; i += 1) {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(s.$ref);
    s = match ? root?.[match[1]]?.[decodeURIComponent(match[2])] : undefined;
  }
  return s || {};
}

function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value, type) {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const DESCRIBE = { string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false', object: 'an object', array: 'an array', null: 'null' };

/** Every violation of schema by value: [{field, message}]. */
export function validate(schema, value, root = schema, path = '$', errors = []) {
  const s = resolve(schema, root);
  const allowed = types(s);
  if (allowed.length && !allowed.some((t) => matchesType(value, t))) {
    errors.push({ field: path, message: `must be ${allowed.map((t) => DESCRIBE[t] || t).join(' or ')}` });
    return errors;
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push({ field: path, message: `must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) {
    errors.push({ field: path, message: `must be ${JSON.stringify(s.const)}` });
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push({ field: path, message: `must be at least ${s.minimum}` });
    if (s.maximum !== undefined && value > s.maximum) errors.push({ field: path, message: `must be at most ${s.maximum}` });
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) errors.push({ field: path, message: `must be more than ${s.exclusiveMinimum}` });
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) errors.push({ field: path, message: `must be less than ${s.exclusiveMaximum}` });
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) errors.push({ field: path, message: `must have at least ${s.minLength} characters` });
    if (s.maxLength !== undefined && value.length > s.maxLength) errors.push({ field: path, message: `must have at most ${s.maxLength} characters` });
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) errors.push({ field: path, message: `must match ${s.pattern}` });
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push({ field: path, message: `must have at least ${s.minItems} items` });
    if (s.maxItems !== undefined && value.length > s.maxItems) errors.push({ field: path, message: `must have at most ${s.maxItems} items` });
    if (s.items) value.forEach((item, i) => validate(s.items, item, root, `${path}[${i}]`, errors));
  }
  if (typeOf(value) === 'object') {
    const props = s.properties || {};
    for (const name of s.required || []) {
      if (!(name in value)) errors.push({ field: `${path}.${name}`, message: 'is required' });
    }
    for (const [name, v] of Object.entries(value)) {
      if (props[name]) validate(props[name], v, root, `${path}.${name}`, errors);
      else if (s.additionalProperties === false) errors.push({ field: `${path}.${name}`, message: 'is not a known field' });
      else if (typeof s.additionalProperties === 'object') validate(s.additionalProperties, v, root, `${path}.${name}`, errors);
    }
  }
  for (const key of ['anyOf', 'oneOf']) {
    if (s[key] && !s[key].some((alt) => validate(alt, value, root, path, []).length === 0)) {
      errors.push({ field: path, message: 'matches none of the allowed shapes' });
    }
  }
  return errors;
}

/** A value that shows the shape: required fields with empty values of their type. */
export function skeleton(schema, root = schema, depth = 0) {
  const s = resolve(schema, root);
  const { type, nullable } = mainType(s);
  if (s.enum) return s.enum[0];
  if (depth > 5) return nullable ? null : undefined;
  switch (type) {
    case 'object': {
      const out = {};
      for (const name of s.required || []) out[name] = skeleton((s.properties || {})[name] || {}, root, depth + 1);
      return out;
    }
    case 'array': return [];
    case 'string': return '';
    case 'integer':
    case 'number': return 0;
    case 'boolean': return false;
    default: return null;
  }
}
