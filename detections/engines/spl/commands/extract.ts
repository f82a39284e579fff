// Commands that compute fields row by row from other fields: bin/bucket ([BIN]), rex, and the
// generating makeresults.
import { compileRegexLiteral } from '../expr/compile.ts';
import type { StrLit } from '../expr/ast.ts';
import { Row } from '../row.ts';
import { SPL_ERRORS } from '../source.ts';
import { type Span, floorToSpan, parseSpan } from '../time.ts';
import { type Scalar, type Value, asNumber, formatNumber, fromValues, scalarText, valuesOf } from '../values.ts';
import { Args, type ArgToken, isWord, parseCount } from './args.ts';
import type { CommandCompiler, FieldToken } from './types.ts';

/**
 * bin [span=<span>] <field> [AS <newfield>]: `span=1s` floors `_time` to whole seconds, spans of a
 * day or more align to midnight (UTC here, time.ts); a numeric span on another field gives the
 * range text "lo-hi". `<field>` is documented as required; without it the lab bins `_time`
 * (setting `bin-without-field=time`, the default; the lint SPL_BIN_WITHOUT_FIELD flags it) or
 * rejects the rule (`bin-without-field=error`) — spl.md §6: UNSURE which Splunk does.
 */
export const binCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  let span: { text: string; span: Span; tok: ArgToken } | undefined;
  let field: FieldToken | undefined;
  let as: string | undefined;
  while (!a.done()) {
    const opt = a.option(['span', 'bins', 'minspan', 'start', 'end', 'aligntime']);
    if (opt) {
      if (opt.key !== 'span') throw ctx.src.error(SPL_ERRORS.unsupported, `Error in '${cmd.name}' command: the option ${opt.key}= is not supported by the lab engine; give span=.`, opt.tok.offset);
      const s = parseSpan(opt.value);
      if (!s) throw a.error(`Invalid span '${opt.value}'.`, opt.tok);
      span = { text: opt.value, span: s, tok: opt.tok };
      continue;
    }
    if (isWord(a.peek(), 'as')) {
      a.next();
      const n = a.next();
      if (!n || (n.t !== 'word' && n.t !== 'str')) throw a.error('Missing a name after AS.');
      as = n.v;
      continue;
    }
    const t = a.next()!;
    if ((t.t !== 'word' && t.t !== 'str') || field) throw a.error(`Unexpected '${t.v}'.`, t);
    field = { name: t.v, offset: t.offset };
  }
  if (!field && ctx.settings.binWithoutField === 'error') {
    throw ctx.src.error(SPL_ERRORS.syntax, `Error in '${cmd.name}' command: You must specify a field to discretize.`, cmd.offset);
  }
  if (!span) throw ctx.src.error(SPL_ERRORS.unsupported, `Error in '${cmd.name}' command: the lab engine needs span=<span> (automatic bins are not supported).`, cmd.offset);
  const source = field?.name ?? '_time';
  const target = as ?? source;
  const s = span.span;
  const isTime = source === '_time' || s.kind === 'time';
  const binOne = (v: Scalar): Scalar | null => {
    const n = asNumber(v);
    if (n === undefined) return null;
    const lo = floorToSpan(n, s);
    if (isTime) return lo;
    return `${formatNumber(lo)}-${formatNumber(lo + s.size)}`;
  };
  return {
    name: cmd.name,
    text: cmd,
    ast: { k: 'bin', field, span: span.text },
    stream: (row) => {
      const v = row.get(source);
      if (v === null) return row;
      const out: Scalar[] = [];
      for (const x of valuesOf(v)) {
        const b = binOne(x);
        if (b !== null) out.push(b);
      }
      row.set(target, fromValues(out));
      return row;
    },
  };
};

/** rex [field=F] [max_match=N] [mode=sed] "<regex>": named groups become fields. */
export const rexCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  const opts = a.options(['field', 'max_match', 'mode', 'offset_field']);
  const lit = a.next();
  a.options(['field', 'max_match', 'mode', 'offset_field']).forEach((v, k) => opts.set(k, v));
  a.expectEnd();
  if (!lit || lit.t !== 'str') throw a.error('Usage: rex [field=<field>] [max_match=<int>] [mode=sed] "<regex>".', lit);
  if (opts.has('offset_field')) throw ctx.src.error(SPL_ERRORS.unsupported, "Error in 'rex' command: offset_field is not supported by the lab engine.", opts.get('offset_field')!.tok.offset);
  const field = opts.get('field')?.value ?? '_raw';
  const maxText = opts.get('max_match')?.value ?? '1';
  const max = parseCount(maxText);
  if (max === undefined) throw a.error(`Invalid max_match '${maxText}'.`, opts.get('max_match')!.tok);
  // the literal as written between the quotes (rex takes the regex text with \" unescaped)
  const raw = ctx.src.text.slice(lit.offset + 1, lit.end - 1);
  const value = raw.replace(/\\"/g, '"');
  const offsets: number[] = [];
  for (let i = 0, j = lit.offset + 1; i < value.length; i++, j++) {
    if (ctx.src.text[j] === '\\' && ctx.src.text[j + 1] === '"') j++;
    offsets.push(j);
  }
  const regexLit: StrLit = { k: 'str', value, charOffsets: offsets, offset: lit.offset, end: lit.end };
  const base = { name: 'rex', text: cmd, ast: { k: 'rex' as const, field, regex: regexLit } };
  const mode = opts.get('mode')?.value;
  if (mode !== undefined) {
    if (mode !== 'sed') throw a.error(`Invalid mode '${mode}'; only mode=sed exists.`, opts.get('mode')!.tok);
    const sed = parseSed(value);
    if (!sed) throw a.error('Invalid sed expression; expected s/<regex>/<replacement>/[g|N] or y/<from>/<to>/.', lit);
    if (sed.kind === 'y') {
      return { ...base, stream: (row) => transform(row, field, (s) => [...s].map((c) => sed.map.get(c) ?? c).join('')) };
    }
    const re = compileRegexLiteral(ctx.expr, { ...regexLit, value: sed.regex, charOffsets: offsets.slice(2) });
    return { ...base, stream: (row) => transform(row, field, (s) => re.replace(s, sed.replacement, sed.count)) };
  }
  const re = compileRegexLiteral(ctx.expr, regexLit);
  const names = re.groupNames();
  if (names.length === 0) {
    throw ctx.src.error(SPL_ERRORS.syntax, `Error in 'rex' command: The regex '${value}' does not extract anything. It should specify at least one named group. Format: (?<name>...).`, lit.offset);
  }
  return {
    ...base,
    stream: (row) => {
      const v = row.get(field);
      if (v === null) return row;
      const found = new Map<string, string[]>();
      for (const x of valuesOf(v)) {
        for (const m of re.execAll(scalarText(x), max)) {
          for (const n of names) {
            const g = m.groups?.[n];
            if (g === undefined) continue;
            let l = found.get(n);
            if (!l) found.set(n, (l = []));
            l.push(g);
          }
        }
      }
      for (const [n, l] of found) row.set(n, fromValues(l));
      return row;
    },
  };
};

function transform(row: Row, field: string, f: (s: string) => string): Row {
  const v = row.get(field);
  if (v === null) return row;
  const out: Value = Array.isArray(v) ? v.map((x) => f(scalarText(x))) : f(scalarText(v));
  row.set(field, out);
  return row;
}

type Sed = { kind: 's'; regex: string; replacement: string; count: number } | { kind: 'y'; map: Map<string, string> };

function parseSed(expr: string): Sed | undefined {
  const kind = expr[0];
  const sep = expr[1];
  if ((kind !== 's' && kind !== 'y') || sep === undefined) return undefined;
  const parts: string[] = [];
  let cur = '';
  for (let i = 2; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '\\' && expr[i + 1] === sep) {
      cur += sep;
      i++;
    } else if (c === sep) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  if (parts.length !== 3) return undefined;
  const [a, b, flags] = parts as [string, string, string];
  if (kind === 'y') {
    const from = [...a];
    const to = [...b];
    if (from.length !== to.length) return undefined;
    return { kind: 'y', map: new Map(from.map((c, i) => [c, to[i]!])) };
  }
  if (flags !== '' && flags !== 'g' && !/^\d+$/.test(flags)) return undefined;
  return { kind: 's', regex: a, replacement: b, count: flags === 'g' ? 0 : flags === '' ? 1 : Number(flags) };
}

/** makeresults [count=N]: N results with `_time` = now; must be the first command. */
export const makeresultsCommand: CommandCompiler = (cmd, ctx) => {
  if (cmd.index !== 0) throw ctx.src.error(SPL_ERRORS.syntax, "Error in 'makeresults' command: This command must be the first command of a search.", cmd.offset);
  const a = new Args(ctx.src, cmd);
  const opts = a.options(['count', 'annotate']);
  a.expectEnd();
  const countText = opts.get('count')?.value ?? '1';
  const count = parseCount(countText);
  if (count === undefined) throw a.error(`Invalid count '${countText}'.`, opts.get('count')!.tok);
  return {
    name: 'makeresults',
    text: cmd,
    ast: { k: 'other' },
    generate: () => Array.from({ length: count }, () => new Row(new Map([['_time', Math.floor(ctx.runtime.now)]]))),
  };
};
