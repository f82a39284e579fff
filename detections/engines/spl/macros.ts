// Search macros: loading macro files (macros.conf stanzas or YAML) and textual expansion.
//
// [MACRO]: "a macro is SPL inserted textually; macros may nest; macros inside quoted strings are
// not expanded"; arguments: stanza `name(N)`, call `name(a,b)`, `$arg$` in the definition; contentctl
// writes `[name]`/`[name(N)]` stanzas with `args = a, b` and `definition = ...` (spl.md §5).
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { InputError, RuleError } from '../../../harness/core/errors.ts';
import type { MacroDefinition } from '../types.ts';
import { blankComments } from './comments.ts';
import { SPL_ERRORS, type MacroSpan } from './source.ts';

/** Map key of a macro: `name` without arguments, `name(N)` with N arguments. */
export function macroKey(name: string, arity: number): string {
  return arity === 0 ? name : `${name}(${arity})`;
}

const STANZA_NAME = /^([A-Za-z0-9_.:-]+)(?:\((\d+)\))?$/;

/** Loads macro definitions from macros.conf text or YAML (`name: definition`). */
export function loadMacros(text: string, file: string): Map<string, MacroDefinition> {
  return /^\s*\[[^\]\n]*\]\s*$/m.test(text) ? loadConf(text, file) : loadYaml(text, file);
}

function loadConf(text: string, file: string): Map<string, MacroDefinition> {
  const out = new Map<string, MacroDefinition>();
  const lines = text.split(/\r?\n/);
  let current: { name: string; arity: number; line: number; keys: Map<string, string> } | undefined;
  const flush = () => {
    if (!current) return;
    out.set(macroKey(current.name, current.arity), confMacro(current, file));
  };
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const lineNo = i + 1;
    if (/^\s*(#|$)/.test(line)) continue;
    const stanza = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (stanza) {
      flush();
      const m = STANZA_NAME.exec(stanza[1]!.trim());
      if (!m) throw new InputError('E_SPL_MACRO_FILE', `bad macro stanza name [${stanza[1]}]`, { file, line: lineNo, column: 1 });
      current = { name: m[1]!, arity: m[2] === undefined ? 0 : Number(m[2]), line: lineNo, keys: new Map() };
      continue;
    }
    const kv = /^\s*([A-Za-z_][\w.]*)\s*=\s?(.*)$/.exec(line);
    if (!kv) throw new InputError('E_SPL_MACRO_FILE', `expected "key = value" or a [stanza]: ${line.trim().slice(0, 60)}`, { file, line: lineNo, column: 1 });
    if (!current) throw new InputError('E_SPL_MACRO_FILE', `"${kv[1]}" outside any [stanza]`, { file, line: lineNo, column: 1 });
    let value = kv[2]!;
    // conf files continue a value on the next line after a trailing backslash
    while (value.endsWith('\\') && i + 1 < lines.length) {
      value = `${value.slice(0, -1)}\n${lines[++i]!}`;
      line = lines[i]!;
    }
    current.keys.set(kv[1]!, value.trim());
  }
  flush();
  return out;
}

function confMacro(s: { name: string; arity: number; line: number; keys: Map<string, string> }, file: string): MacroDefinition {
  const position = { file, line: s.line, column: 1 };
  const definition = s.keys.get('definition');
  if (definition === undefined) throw new InputError('E_SPL_MACRO_FILE', `macro [${macroKey(s.name, s.arity)}] has no definition`, position);
  if (/^(1|true|t|yes|y)$/i.test(s.keys.get('iseval') ?? '')) {
    throw new InputError('E_SPL_MACRO_FILE', `macro [${macroKey(s.name, s.arity)}]: eval-based macros (iseval = 1) are not supported`, position);
  }
  const args = (s.keys.get('args') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  checkArity(s.name, s.arity, args, file, position);
  return { name: s.name, args, definition, source: position };
}

function checkArity(name: string, arity: number, args: string[], file: string, position: { file: string; line: number; column: number }): void {
  if (args.length !== arity) {
    throw new InputError('E_SPL_MACRO_FILE', `macro ${macroKey(name, arity)} declares ${args.length} argument name(s) (args = ${args.join(', ')}), expected ${arity}`, position);
  }
  for (const a of args) {
    if (!/^[A-Za-z0-9_]+$/.test(a)) throw new InputError('E_SPL_MACRO_FILE', `macro ${macroKey(name, arity)}: bad argument name "${a}"`, { ...position, file });
  }
}

function loadYaml(text: string, file: string): Map<string, MacroDefinition> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const lp = lineCounter.linePos(e.pos[0]);
    throw new InputError('E_SPL_MACRO_FILE', `not a macros.conf or YAML macro file: ${e.message.split('\n')[0]}`, { file, line: lp.line, column: lp.col });
  }
  const out = new Map<string, MacroDefinition>();
  const root = doc.contents;
  if (root === null || root === undefined) return out;
  if (!isMap(root)) throw new InputError('E_SPL_MACRO_FILE', 'a YAML macro file must be a mapping of name: definition', { file, line: 1, column: 1 });
  const js = doc.toJS() as Record<string, unknown>;
  // security_content style: one macro per file with name/definition/arguments
  if (typeof js.name === 'string' && typeof js.definition === 'string') {
    const args = Array.isArray(js.arguments) ? js.arguments.map(String) : [];
    const position = { file, line: 1, column: 1 };
    checkArity(js.name, args.length, args, file, position);
    out.set(macroKey(js.name, args.length), { name: js.name, args, definition: js.definition, source: position });
    return out;
  }
  for (const item of root.items) {
    const keyNode = item.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const range = isScalar(keyNode) ? keyNode.range : undefined;
    const lp = range ? lineCounter.linePos(range[0]) : { line: 1, col: 1 };
    const position = { file, line: lp.line, column: lp.col };
    const m = STANZA_NAME.exec(key.trim());
    if (!m) throw new InputError('E_SPL_MACRO_FILE', `bad macro name "${key}"`, position);
    const name = m[1]!;
    const value = js[key];
    let definition: string;
    let args: string[] = [];
    if (typeof value === 'string') definition = value;
    else if (value && typeof value === 'object' && typeof (value as { definition?: unknown }).definition === 'string') {
      const v = value as { definition: string; args?: unknown; arguments?: unknown };
      definition = v.definition;
      const a = v.args ?? v.arguments;
      args = Array.isArray(a) ? a.map(String) : typeof a === 'string' ? a.split(',').map((x) => x.trim()).filter(Boolean) : [];
    } else throw new InputError('E_SPL_MACRO_FILE', `macro "${key}": expected a definition string or {definition, args}`, position);
    const arity = m[2] === undefined ? args.length : Number(m[2]);
    checkArity(name, arity, args, file, position);
    out.set(macroKey(name, arity), { name, args, definition, source: position });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// expansion

export interface Expanded {
  text: string;
  /** expanded offset → original offset */
  map: number[];
  spans: MacroSpan[];
}

const MAX_DEPTH = 50;

/**
 * Expands every `name` / `name(args)` call outside double-quoted strings. `originOf(i)` gives the
 * original offset of character i of `text`; characters of an expansion map to the call.
 */
export function expandMacros(
  text: string,
  originOf: (i: number) => number,
  macros: ReadonlyMap<string, MacroDefinition>,
  error: (code: string, message: string, originalOffset: number) => RuleError,
  stack: string[] = [],
): Expanded {
  let out = '';
  const map: number[] = [];
  const spans: MacroSpan[] = [];
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuote) {
      if (c === '\\' && i + 1 < text.length) {
        out += c + text[i + 1]!;
        map.push(originOf(i), originOf(i + 1));
        i++;
        continue;
      }
      if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      const callOffset = originOf(i);
      if (end < 0) throw error(SPL_ERRORS.syntax, 'Unterminated macro call: a backtick (`) has no closing backtick.', callOffset);
      const call = parseCall(text.slice(i + 1, end));
      if (!call) throw error(SPL_ERRORS.macro, `Malformed macro call \`${text.slice(i + 1, end)}\`.`, callOffset);
      const key = macroKey(call.name, call.args.length);
      const def = macros.get(key);
      if (!def) {
        throw error(SPL_ERRORS.undefinedMacro, `The search specifies a macro '${key}' that cannot be found. Reasons include: the macro name is misspelled, or the macro is not in the macro files given (detections/macros/, --macros).`, callOffset);
      }
      if (stack.includes(key) || stack.length >= MAX_DEPTH) {
        throw error(SPL_ERRORS.macro, `Macro '${key}' expands into itself (${[...stack, key].join(' → ')}).`, callOffset);
      }
      let body = def.definition;
      def.args.forEach((a, k) => {
        body = body.split(`$${a}$`).join(call.args[k]!);
      });
      const inner = expandMacros(blankComments(body, (m) => error(SPL_ERRORS.syntax, `in macro '${key}': ${m}`, callOffset)), () => callOffset, macros, error, [...stack, key]);
      const start = out.length;
      out += inner.text;
      for (let k = 0; k < inner.text.length; k++) map.push(callOffset);
      for (const s of inner.spans) spans.push({ ...s, start: s.start + start, end: s.end + start });
      spans.push({ name: key, start, end: out.length, callOffset });
      i = end;
      continue;
    }
    out += c;
    map.push(originOf(i));
  }
  return { text: out, map, spans };
}

function parseCall(inner: string): { name: string; args: string[] } | undefined {
  const m = /^\s*([A-Za-z0-9_.:-]+)\s*(?:\(([\s\S]*)\))?\s*$/.exec(inner);
  if (!m) return undefined;
  return { name: m[1]!, args: m[2] === undefined ? [] : splitArgs(m[2]) };
}

/** Splits `a, "b,c", f(x,y)` at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < s.length) {
        cur += c + s[++i]!;
        continue;
      }
      if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur.trim());
  return out;
}
