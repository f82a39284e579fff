// Comparison and conditional functions ([COND]) and informational functions ([INFO]).
import { compare, isTrue, likeMatch, text } from '../expr/semantics.ts';
import { type EvalValue, asNumber, typeName, valuesOf } from '../values.ts';
import type { FnSpec } from './types.ts';

const firstIsBool = (i: number) => i === 0;

/** The type shared by the value arguments, else 'any'. */
function common(types: string[]) {
  const t = types[0];
  return types.every((x) => x === t) && t !== undefined && t !== 'bool' ? (t as 'num' | 'str' | 'any') : 'any';
}

/** True when v (a single value or multivalue) has a value satisfying test. */
function anyValue(v: EvalValue, test: (s: string) => boolean): boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return null;
  for (const x of valuesOf(v)) if (test(typeof x === 'number' ? String(x) : x)) return true;
  return false;
}

export const conditionalFunctions: Record<string, FnSpec> = {
  // "If the predicate evaluates to TRUE, returns the true_value, otherwise ... the false_value"
  if: {
    min: 3, max: 3, boolArgs: firstIsBool,
    returns: (t) => common([t[1]!, t[2]!]),
    lazy: ([c, a, b], row) => (isTrue(c!(row)) ? a!(row) : b!(row)),
  },
  // first TRUE condition's value; NULL conditions skipped; NULL when none is TRUE
  case: {
    min: 2, max: Infinity, arity: (n) => n % 2 === 0, boolArgs: (i) => i % 2 === 0,
    returns: (t) => common(t.filter((_, i) => i % 2 === 1)),
    lazy: (args, row) => {
      for (let i = 0; i + 1 < args.length; i += 2) if (isTrue(args[i]!(row))) return args[i + 1]!(row);
      return null;
    },
  },
  // "returns the first value that is not NULL" — "" is a value (spl.md §1)
  coalesce: {
    min: 1, max: Infinity, returns: (t) => common(t),
    lazy: (args, row) => {
      for (const a of args) {
        const v = a(row);
        if (v !== null) return v;
      }
      return null;
    },
  },
  // validate(cond, value, ...): the value of the first FALSE condition, NULL when all are TRUE
  validate: {
    min: 2, max: Infinity, arity: (n) => n % 2 === 0, boolArgs: (i) => i % 2 === 0, returns: 'any',
    lazy: (args, row) => {
      for (let i = 0; i + 1 < args.length; i += 2) if (!isTrue(args[i]!(row))) return args[i + 1]!(row);
      return null;
    },
  },
  nullif: {
    min: 2, max: 2, returns: (t) => t[0]!,
    eager: ([a, b], call) => (compare('=', a!, b!, call.literal[0], call.literal[1]) === true ? null : a!),
  },
  // "finds a match against any substring of the string value" — unanchored PCRE
  match: {
    min: 2, max: 2, returns: 'bool', regexArgs: [1],
    eager: ([s, p], call) => {
      const pattern = text(p!);
      if (pattern === undefined) return null;
      const re = call.regex(1, pattern);
      if (re === null) return null;
      return anyValue(s!, (x) => re.test(x));
    },
  },
  like: {
    min: 2, max: 2, returns: 'bool',
    eager: ([s, p]) => {
      const pattern = text(p!);
      if (pattern === undefined) return null;
      return anyValue(s!, (x) => likeMatch(x, pattern));
    },
  },
  cidrmatch: {
    min: 2, max: 2, returns: 'bool',
    eager: ([c, ip]) => {
      const cidr = text(c!);
      if (cidr === undefined) return null;
      const test = cidrTester(cidr);
      if (!test) return false;
      return anyValue(ip!, test);
    },
  },
  // in(field, v1, ...): exact membership, no wildcards
  in: {
    min: 2, max: Infinity, returns: 'bool',
    eager: (args, call) => {
      const [v, ...list] = args;
      if (v === null || v === undefined) return null;
      return list.some((x, i) => compare('=', v, x, call.literal[0], call.literal[i + 1]) === true);
    },
  },
  true: { min: 0, max: 0, returns: 'bool', eager: () => true },
  false: { min: 0, max: 0, returns: 'bool', eager: () => false },
  null: { min: 0, max: 0, returns: 'any', eager: () => null },
  isnull: { min: 1, max: 1, returns: 'bool', eager: ([v]) => v === null },
  isnotnull: { min: 1, max: 1, returns: 'bool', eager: ([v]) => v !== null },
  isnum: {
    min: 1, max: 1, returns: 'bool',
    eager: ([v], call) => typeof v === 'number' || (typeof v === 'string' && !call.literal[0] && asNumber(v) !== undefined),
  },
  isint: {
    min: 1, max: 1, returns: 'bool',
    eager: ([v], call) => {
      if (v === null || v === undefined || typeof v === 'boolean' || Array.isArray(v)) return false;
      if (typeof v === 'string' && call.literal[0]) return false;
      const n = asNumber(v);
      return n !== undefined && Number.isInteger(n);
    },
  },
  isstr: {
    min: 1, max: 1, returns: 'bool',
    eager: ([v], call) => typeof v === 'string' && (call.literal[0] || asNumber(v) === undefined),
  },
  isbool: { min: 1, max: 1, returns: 'bool', eager: ([v]) => typeof v === 'boolean' },
  // typeof(12)+typeof("string")+typeof(1==2)+typeof(badfield) = "NumberStringBoolInvalid";
  // a field holding a number-like string is a Number (dual typing, [INFO])
  typeof: {
    min: 1, max: 1, returns: 'str',
    eager: ([v], call) => (typeof v === 'string' && !call.literal[0] && asNumber(v) !== undefined ? 'Number' : typeName(v!)),
  },
  exact: { min: 1, max: 1, returns: (t) => t[0]!, eager: ([v]) => v! },
  searchmatch: { min: 1, max: 1, returns: 'bool' }, // compiled specially (expr/compile.ts)
};

// ---------------------------------------------------------------------------------------------
// CIDR

function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

function ipv6(s: string): bigint | undefined {
  let t = s.trim().toLowerCase();
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  if (!t.includes(':')) return undefined;
  // an embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const n = ipv4(v4[1]!);
    if (n === undefined) return undefined;
    t = `${t.slice(0, -v4[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  if (!/^[0-9a-f:]+$/.test(t)) return undefined;
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((x) => (/^[0-9a-f]{1,4}$/.test(x) ? parseInt(x, 16) : NaN)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest];
  if (groups.some((g) => Number.isNaN(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(g), 0n);
}

/** A test for "ip is in this subnet" (IPv4 and IPv6), or undefined for a malformed CIDR. */
export function cidrTester(cidr: string): ((ip: string) => boolean) | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  if (!m) return undefined;
  const bits = Number(m[2]);
  const v4 = ipv4(m[1]!);
  if (v4 !== undefined) {
    if (bits > 32) return undefined;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const net = (v4 & mask) >>> 0;
    return (ip) => {
      const x = ipv4(ip);
      return x !== undefined && ((x & mask) >>> 0) === net;
    };
  }
  const v6 = ipv6(m[1]!);
  if (v6 === undefined || bits > 128) return undefined;
  const mask6 = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
  const net6 = v6 & mask6;
  return (ip) => {
    const x = ipv6(ip);
    return x !== undefined && (x & mask6) === net6;
  };
}

export function ipv4Number(s: string): number | undefined {
  return ipv4(s);
}
