// Field-computing and field-shaping functions: if(), lower(), upper(), length(), default(),
// drop(), rename(), select(), format(), concat(), splitString(), replace().
import type { FunctionSpec } from './spec.ts';
import { formatNumber, mutable, toNumber, type Ev } from '../values.ts';

/**
 * if(condition, then, else, as=_if): all three required, only `condition` may be unnamed ([IF]).
 * Equivalent to `case { test(cond) | as := then ; as := else }`: a null condition takes the else
 * branch, and a null result leaves the `as` field unset (cql.md §4).
 */
export const ifFn: FunctionSpec = {
  name: 'if',
  params: [
    { name: 'condition', type: 'expression', required: true, unnamed: true },
    { name: 'then', type: 'expression', required: true },
    { name: 'else', type: 'expression', required: true },
    { name: 'as', type: 'field' },
  ],
  defaultAs: '_if',
  value(a) {
    const cond = a.expression('condition');
    const then = a.expression('then');
    const otherwise = a.expression('else');
    return (ev) => (cond(ev) === 'true' ? then(ev) : otherwise(ev));
  },
};

function caseFn(name: 'lower' | 'upper'): FunctionSpec {
  const conv = name === 'lower' ? (s: string) => s.toLowerCase() : (s: string) => s.toUpperCase();
  return {
    name,
    params: [
      { name: 'field', type: 'field', required: true, unnamed: true },
      { name: 'as', type: 'field' },
      { name: 'locale', type: 'string' },
    ],
    // without as= the field itself is replaced
    defaultAs: '$field',
    value(a) {
      const f = a.field('field');
      return (ev) => (ev[f] === undefined ? null : conv(ev[f]!));
    },
  };
}

export const lowerFn = caseFn('lower');
export const upperFn = caseFn('upper');

/** length(field, as=_length): number of characters; no value for a missing field */
export const lengthFn: FunctionSpec = {
  name: 'length',
  params: [
    { name: 'field', type: 'field', required: true, unnamed: true },
    { name: 'as', type: 'field' },
  ],
  defaultAs: '_length',
  value(a) {
    const f = a.field('field');
    return (ev) => (ev[f] === undefined ? null : String([...ev[f]!].length));
  },
};

/** default(value, field=[...], replaceEmpty=false): give missing (or empty) fields a value */
export const defaultFn: FunctionSpec = {
  name: 'default',
  params: [
    { name: 'value', type: 'string', required: true, unnamed: true },
    { name: 'field', type: 'fields', required: true },
    { name: 'replaceEmpty', type: 'boolean' },
  ],
  transform(a) {
    const value = a.string('value');
    const fields = a.fields('field');
    const replaceEmpty = a.boolean('replaceEmpty', false);
    return (ev, out) => {
      const todo = fields.filter((f) => ev[f] === undefined || (replaceEmpty && ev[f] === ''));
      if (todo.length === 0) return out(ev);
      const copy = mutable(ev);
      for (const f of todo) copy[f] = value;
      out(copy);
    };
  },
};

/** drop(fields): removes fields from each event, never events; `fields` is required ([DROP]) */
export const dropFn: FunctionSpec = {
  name: 'drop',
  params: [
    { name: 'fields', type: 'fields', required: true, unnamed: true },
    { name: 'mode', type: 'string', choices: ['exact', 'glob'] },
  ],
  transform(a) {
    const fields = a.fields('fields');
    const glob = a.string('mode', 'exact') === 'glob';
    const matches = glob
      ? fields.map((f) => new RegExp('^' + f.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$'))
      : null;
    return (ev, out) => {
      const copy = mutable(ev);
      if (matches) {
        for (const k of Object.keys(copy)) if (matches.some((m) => m.test(k))) delete copy[k];
      } else for (const f of fields) delete copy[f];
      out(copy);
    };
  },
};

/** rename(field, as) or rename(field=[[old, new], ...]) */
export const renameFn: FunctionSpec = {
  name: 'rename',
  params: [
    { name: 'field', type: 'fields', required: true, unnamed: true },
    { name: 'as', type: 'field' },
  ],
  transform(a, ctx) {
    const arg = a.arg('field')!;
    const pairs: Array<[string, string]> = [];
    if (arg.value.kind === 'array' && arg.value.items.every((i) => i.kind === 'array')) {
      for (const item of arg.value.items) {
        const names = item.kind === 'array' ? item.items.map((x) => (x.kind === 'field' ? x.name : x.kind === 'str' ? x.value : '')) : [];
        if (names.length !== 2 || names.some((n) => n === '')) ctx.error('CQL_BAD_ARGUMENT', 'rename(): each pair must be [oldName, newName]', item.start);
        else pairs.push([names[0]!, names[1]!]);
      }
    } else {
      if (!a.has('as')) ctx.error('CQL_MISSING_PARAMETER', "rename() is missing its required parameter 'as'", a.call.nameSpan.start);
      pairs.push([a.field('field'), a.field('as')]);
    }
    return (ev, out) => {
      if (!pairs.some(([from]) => ev[from] !== undefined)) return out(ev);
      const copy = mutable(ev);
      for (const [from, to] of pairs) {
        if (copy[from] === undefined) continue;
        const v = copy[from]!;
        delete copy[from];
        copy[to] = v;
      }
      out(copy);
    };
  },
};

/** select(fields): keeps only these fields, in this order */
export const selectFn: FunctionSpec = {
  name: 'select',
  params: [{ name: 'fields', type: 'fields', required: true, unnamed: true }],
  transform(a) {
    const fields = a.fields('fields');
    return (ev, out) => out(pick(ev, fields));
  },
};

export function pick(ev: Ev, fields: string[]): Ev {
  const o: Ev = {};
  for (const f of fields) if (ev[f] !== undefined) o[f] = ev[f]!;
  return o;
}

/** format(format, field=[...], as=_format): printf-style %s %d %i %f %x %% with -/0 flags, width and precision */
export const formatFn: FunctionSpec = {
  name: 'format',
  params: [
    { name: 'format', type: 'string', required: true, unnamed: true },
    { name: 'field', type: 'fields' },
    { name: 'as', type: 'field' },
    { name: 'timezone', type: 'string' },
  ],
  defaultAs: '_format',
  value(a, ctx) {
    const fmt = a.string('format');
    const fields = a.fields('field');
    const spec = /%(-?)(0?)(\d*)(?:\.(\d+))?([sdifx%])/g;
    const needed = (fmt.match(spec) ?? []).filter((m) => !m.endsWith('%')).length;
    if (needed > fields.length) ctx.error('CQL_BAD_ARGUMENT', `format(): the format uses ${needed} values but field= names ${fields.length}`, a.span('format').start);
    return (ev) => {
      let i = 0;
      let failed = false;
      const text = fmt.replace(spec, (_m, left: string, zero: string, width: string, prec: string | undefined, conv: string) => {
        if (conv === '%') return '%';
        const raw = ev[fields[i++] ?? ''];
        if (raw === undefined) {
          failed = true;
          return '';
        }
        let s = raw;
        if (conv !== 's') {
          const n = toNumber(raw);
          if (n === null) {
            failed = true;
            return '';
          }
          s = conv === 'f' ? n.toFixed(prec === undefined ? 6 : Number(prec)) : conv === 'x' ? Math.trunc(n).toString(16) : formatNumber(Math.trunc(n));
        } else if (prec !== undefined) s = s.slice(0, Number(prec));
        const w = Number(width || 0);
        if (left) return s.padEnd(w);
        return zero && conv !== 's' ? (s.startsWith('-') ? '-' + s.slice(1).padStart(w - 1, '0') : s.padStart(w, '0')) : s.padStart(w);
      });
      return failed ? null : text;
    };
  },
};

/** concat(field=[...], as=_concat): joins the values of the fields; missing fields are skipped */
export const concatFn: FunctionSpec = {
  name: 'concat',
  params: [
    { name: 'field', type: 'fields', required: true, unnamed: true },
    { name: 'as', type: 'field' },
  ],
  defaultAs: '_concat',
  value(a) {
    const fields = a.fields('field');
    return (ev) => {
      let any = false;
      let s = '';
      for (const f of fields) {
        const v = ev[f];
        if (v === undefined) continue;
        any = true;
        s += v;
      }
      return any ? s : null;
    };
  },
};

/**
 * splitString(field=@rawstring, by, index, as=_splitstring): with index, that element; without,
 * fields as[0], as[1], ... (`by` is taken as a literal separator here).
 */
export const splitStringFn: FunctionSpec = {
  name: 'splitString',
  params: [
    { name: 'field', type: 'field', unnamed: true },
    { name: 'by', type: 'string', required: true },
    { name: 'index', type: 'number' },
    { name: 'as', type: 'field' },
  ],
  transform(a) {
    const field = a.field('field', '@rawstring');
    const by = a.string('by');
    const as = a.field('as', '_splitstring');
    const index = a.has('index') ? a.number('index', 0) : null;
    return (ev, out) => {
      const v = ev[field];
      if (v === undefined) return out(ev);
      const parts = v.split(by);
      const copy = mutable(ev);
      if (index !== null) {
        const i = index < 0 ? parts.length + index : index;
        if (parts[i] !== undefined) copy[as] = parts[i]!;
      } else parts.forEach((p, i) => (copy[`${as}[${i}]`] = p));
      out(copy);
    };
  },
};

/** replace(regex, with, field=@rawstring, as, flags): every match replaced; $1 and ${name} refer to groups */
export const replaceFn: FunctionSpec = {
  name: 'replace',
  params: [
    { name: 'regex', type: 'string', required: true, unnamed: true },
    { name: 'with', type: 'string' },
    { name: 'replacement', type: 'string' },
    { name: 'field', type: 'field' },
    { name: 'as', type: 'field' },
    { name: 'flags', type: 'string' },
  ],
  transform(a, ctx) {
    const field = a.field('field', '@rawstring');
    const as = a.field('as', field);
    const withText = a.has('with') ? a.string('with') : a.string('replacement', '');
    const re = ctx.regex(a.string('regex'), (a.string('flags', '') || '') + 'g', a.span('regex').start + 1);
    return (ev, out) => {
      const v = ev[field];
      if (v === undefined || re === null) return out(ev);
      const copy = mutable(ev);
      copy[as] = re.replaceAll(v, withText);
      out(copy);
    };
  },
};
