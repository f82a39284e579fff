// Filter functions: in(), regex(), test(), cidr(), dropEvent(), text:contains().
import type { FunctionSpec } from './spec.ts';
import { globMatcher, mutable, type Ev } from '../values.ts';

/** in(field, values=[...], ignoreCase=false): the field equals one of the values (with * globs) */
export const inFn: FunctionSpec = {
  name: 'in',
  params: [
    { name: 'field', type: 'field', required: true, unnamed: true },
    { name: 'values', type: 'strings', required: true },
    { name: 'ignoreCase', type: 'boolean' },
  ],
  filter(a) {
    const field = a.field('field');
    const ic = a.boolean('ignoreCase', false);
    const matchers = a.strings('values').map((v) => globMatcher(v, ic));
    // a missing field is in no list; `!in()` keeps it ([functions-artifacts]: negation "includes
    // events that don't have the quoted values")
    return (ev) => {
      const v = ev[field];
      return v !== undefined && matchers.some((m) => m(v));
    };
  },
};

/**
 * regex(regex, field=@rawstring, flags=m, repeat=false, strict=false): keeps events whose field
 * matches and adds the named groups as fields. Flags default to `m` for this function ([REGEXFN],
 * cql.md §1.3). With the g flag or repeat=true every match produces an event (repeat extraction,
 * [FLAGS]; one event per match is this engine's reading, LIKELY).
 */
export const regexFn: FunctionSpec = {
  name: 'regex',
  params: [
    { name: 'regex', type: 'string', required: true, unnamed: true },
    { name: 'field', type: 'field' },
    { name: 'flags', type: 'string' },
    { name: 'repeat', type: 'boolean' },
    { name: 'strict', type: 'boolean' },
    { name: 'limit', type: 'number' },
  ],
  filter(a, ctx) {
    const field = a.field('field', '@rawstring');
    const re = ctx.regex(a.string('regex'), a.string('flags', 'm'), a.span('regex').start + 1);
    return (ev) => {
      const v = ev[field];
      return v !== undefined && re !== null && re.test(v);
    };
  },
  transform(a, ctx) {
    const field = a.field('field', '@rawstring');
    const flags = a.string('flags', 'm') + (a.boolean('repeat', false) ? 'g' : '');
    const re = ctx.regex(a.string('regex'), flags, a.span('regex').start + 1);
    return (ev, out) => {
      const v = ev[field];
      if (v === undefined || re === null) return;
      const matches = re.matches(v);
      for (const m of matches) {
        const named = m.groups.filter(([name]) => !/^\d+$/.test(name));
        if (named.length === 0) {
          out(ev);
          continue;
        }
        const copy = mutable(ev);
        for (const [name, value] of named) copy[name] = value;
        out(copy);
      }
    };
  },
};

/** test(expression): keeps events for which the expression is true ([TEST]) */
export const testFn: FunctionSpec = {
  name: 'test',
  params: [{ name: 'expression', type: 'expression', required: true, unnamed: true }],
  filter(a) {
    const e = a.expression('expression');
    return (ev) => e(ev) === 'true';
  },
};

/** dropEvent(): in a search it "is simply an alias for false" ([DROPEV]) */
export const dropEventFn: FunctionSpec = {
  name: 'dropEvent',
  params: [],
  filter: () => () => false,
};

function ipv4(v: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** cidr(field, subnet=[...], negate=false): IPv4 address in one of the subnets (IPv6 not supported here) */
export const cidrFn: FunctionSpec = {
  name: 'cidr',
  params: [
    { name: 'field', type: 'field', required: true, unnamed: true },
    { name: 'subnet', type: 'strings', required: true },
    { name: 'negate', type: 'boolean' },
  ],
  filter(a, ctx) {
    const field = a.field('field');
    const negate = a.boolean('negate', false);
    const nets: Array<[number, number]> = [];
    for (const s of a.strings('subnet')) {
      const [addr, bits] = s.split('/');
      const base = ipv4(addr ?? '');
      const n = bits === undefined ? 32 : Number(bits);
      if (base === null || !Number.isInteger(n) || n < 0 || n > 32) {
        ctx.error('CQL_BAD_ARGUMENT', `cidr(): '${s}' is not an IPv4 subnet (IPv6 subnets are not supported by this engine)`, a.span('subnet').start);
        continue;
      }
      const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
      nets.push([(base & mask) >>> 0, mask]);
    }
    return (ev) => {
      const v = ev[field];
      if (v === undefined) return false; // a missing field is in no subnet
      const ip = ipv4(v);
      const inside = ip !== null && nets.some(([net, mask]) => ((ip & mask) >>> 0) === net);
      return negate ? ip !== null && !inside : inside;
    };
  },
};

/** text:contains(string, substring): case-sensitive substring test for expressions */
export const textContainsFn: FunctionSpec = {
  name: 'text:contains',
  params: [
    { name: 'string', type: 'expression', required: true, unnamed: true },
    { name: 'substring', type: 'expression', required: true },
  ],
  filter(a) {
    const s = a.expression('string');
    const sub = a.expression('substring');
    return (ev: Ev) => {
      const x = s(ev);
      const y = sub(ev);
      return x !== null && y !== null && x.includes(y);
    };
  },
};
