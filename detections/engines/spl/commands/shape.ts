// Commands that reshape rows one by one: table, fields, rename, fillnull (with a field list),
// mvexpand.
import { globCaptures, globFill, hasWildcard, selectFields } from '../glob.ts';
import type { Row } from '../row.ts';
import { type Value, valuesOf } from '../values.ts';
import { Args, isWord, parseCount } from './args.ts';
import type { CommandCompiler, FieldToken } from './types.ts';

/**
 * table: "only the listed fields, in order; space- or comma-separated; `*` wildcards"
 * ([TABLE]); `table _time, host, user process, process_*` keeps user and process.
 */
export const tableCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  const fields: FieldToken[] = a.fieldList().map((f) => ({ name: f.name, offset: f.tok.offset }));
  if (fields.length === 0) throw a.error('You must specify at least one field.', undefined);
  const patterns = fields.map((f) => f.name);
  return {
    name: 'table',
    text: cmd,
    ast: { k: 'fields', mode: 'table', fields },
    stream: (row) => {
      const out = row.derive(new Map());
      for (const name of selectFields(patterns, row.names())) {
        const v = row.get(name);
        if (v !== null) out.set(name, v);
      }
      return out;
    },
  };
};

/**
 * fields [+|-] list: keep or remove fields ([FIELDS]). Keeping does not drop `_raw` and `_time`
 * ("kept by default"); name them in `fields - _raw` to remove them.
 */
export const fieldsCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  let mode: 'keep' | 'remove' = 'keep';
  const first = a.peek();
  if (first?.t === 'word' && (first.v === '-' || first.v === '+')) {
    mode = first.v === '-' ? 'remove' : 'keep';
    a.next();
  }
  const fields: FieldToken[] = a.fieldList().map((f) => ({ name: f.name, offset: f.tok.offset }));
  if (fields.length === 0) throw a.error('You must specify at least one field.', undefined);
  const patterns = fields.map((f) => f.name);
  return {
    name: 'fields',
    text: cmd,
    ast: { k: 'fields', mode, fields },
    stream: (row) => {
      const chosen = new Set(selectFields(patterns, row.names()));
      if (mode === 'remove') {
        for (const n of chosen) row.delete(n);
        return row;
      }
      const out = row.derive(new Map());
      for (const [n, v] of row.entries()) if (chosen.has(n) || n === '_raw' || n === '_time') out.set(n, v);
      return out;
    },
  };
};

/** rename a AS b, c* AS d*: wildcards with equal `*` counts; an existing target is replaced. */
export const renameCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  const pairs: { from: string; to: string; offset: number }[] = [];
  while (!a.done()) {
    if (a.peek()?.t === ',') {
      a.next();
      continue;
    }
    const from = a.next()!;
    if (from.t !== 'word' && from.t !== 'str') throw a.error(`Unexpected '${from.v}'.`, from);
    if (!isWord(a.peek(), 'as')) throw a.error('Syntax: rename <wc-field> AS <wc-field>.', a.peek() ?? from);
    a.next();
    const to = a.next();
    if (!to || (to.t !== 'word' && to.t !== 'str')) throw a.error('Missing the new name after AS.', to ?? from);
    if ((from.v.match(/\*/g) ?? []).length !== (to.v.match(/\*/g) ?? []).length) {
      throw a.error('Wildcard mismatch: the old and new names must have the same number of *.', to);
    }
    pairs.push({ from: from.v, to: to.v, offset: from.offset });
  }
  if (pairs.length === 0) throw a.error('Syntax: rename <wc-field> AS <wc-field>.', undefined);
  return {
    name: 'rename',
    text: cmd,
    ast: { k: 'rename', pairs },
    stream: (row) => {
      for (const p of pairs) {
        if (!hasWildcard(p.from)) {
          // CHOICE: a row without the old field keeps the new one untouched
          const v = row.get(p.from);
          if (v === null) continue;
          row.delete(p.from);
          row.set(p.to, v);
          continue;
        }
        const moves: [string, string, Value][] = [];
        for (const [n, v] of row.entries()) {
          const caps = globCaptures(p.from, n);
          if (caps) moves.push([n, globFill(p.to, caps), v]);
        }
        for (const [n] of moves) row.delete(n);
        for (const [, to, v] of moves) row.set(to, v);
      }
      return row;
    },
  };
};

/**
 * fillnull [value=X] [fields]: sets missing fields to X (default 0). With no field list every
 * field present in any result is filled, which needs all results (run).
 */
export const fillnullCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  const opts = a.options(['value']);
  const value = opts.get('value')?.value ?? '0';
  const fields = a.fieldList().map((f) => ({ name: f.name, offset: f.tok.offset }));
  const base = { name: 'fillnull', text: cmd, ast: { k: 'other' } as const };
  const fill = (row: Row, names: Iterable<string>) => {
    for (const n of names) if (!row.has(n)) row.set(n, value);
    return row;
  };
  if (fields.length > 0) return { ...base, stream: (row) => fill(row, fields.map((f) => f.name)) };
  return {
    ...base,
    run: (rows) => {
      const all = new Set<string>();
      for (const r of rows) for (const n of r.names()) all.add(n);
      return rows.map((r) => fill(r, all));
    },
  };
};

/** mvexpand field [limit=N]: one row per value of a multivalue field. */
export const mvexpandCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  const fields = a.fieldList((t) => t.t === 'word' && /^limit$/i.test(t.v));
  const opts = a.options(['limit']);
  a.expectEnd();
  if (fields.length !== 1) throw a.error('Syntax: mvexpand <field> [limit=<int>].', undefined);
  const field = fields[0]!.name;
  const limitText = opts.get('limit')?.value;
  const limit = limitText === undefined ? 0 : parseCount(limitText);
  if (limit === undefined) throw a.error(`Invalid limit '${limitText}'.`, opts.get('limit')!.tok);
  return {
    name: 'mvexpand',
    text: cmd,
    ast: { k: 'other' },
    stream: (row) => {
      const values = valuesOf(row.get(field));
      if (values.length <= 1) return row;
      return (limit > 0 ? values.slice(0, limit) : values).map((v) => {
        const r = row.clone();
        r.set(field, v);
        return r;
      });
    },
  };
};
