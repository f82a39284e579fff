// Aggregates: groupBy(), count(), collect(), min(), max(), sum(), avg(), sort(), head(), tail(),
// top(), table(), join().
import type { FunctionSpec } from './spec.ts';
import { aggregateStage, chain, type Accumulator, type AccumulatorFactory, type Stage } from '../runtime.ts';
import { formatNumber, mutable, toNumber, type Ev } from '../values.ts';
import { pick } from './transforms.ts';

/** groupBy's default and maximum group counts ([GROUPBY]: GroupDefaultLimit, GroupMaxLimit) */
export const GROUP_DEFAULT_LIMIT = 20_000;
export const GROUP_MAX_LIMIT = 1_000_000;
/** sort()'s default and maximum row counts ([SORT]: limit 200, StateRowLimit 200,000) */
export const SORT_DEFAULT_LIMIT = 200;
export const STATE_ROW_LIMIT = 200_000;

/** count(field, distinct=false, as=_count): with a field, only events that have it count ([COUNT]) */
export const countFn: FunctionSpec = {
  name: 'count',
  params: [
    { name: 'field', type: 'field', unnamed: true },
    { name: 'distinct', type: 'boolean' },
    { name: 'as', type: 'field' },
  ],
  accumulator(a) {
    const field = a.has('field') ? a.field('field') : null;
    const distinct = a.boolean('distinct', false);
    const as = a.field('as', '_count');
    return () => {
      let n = 0;
      const seen = new Set<string>();
      return {
        add(ev) {
          if (field === null) n++;
          else if (ev[field] !== undefined) {
            if (distinct) seen.add(ev[field]!);
            else n++;
          }
        },
        result: () => [[as, String(distinct ? seen.size : n)]],
      };
    };
  },
};

function numericAcc(name: 'min' | 'max' | 'sum' | 'avg'): FunctionSpec {
  return {
    name,
    params: [
      { name: 'field', type: 'field', required: true, unnamed: true },
      { name: 'as', type: 'field' },
    ],
    accumulator(a) {
      const field = a.field('field');
      const as = a.field('as', '_' + name);
      return () => {
        let acc: number | null = null;
        let n = 0;
        return {
          add(ev) {
            const v = toNumber(ev[field]);
            if (v === null) return; // non-numeric values are ignored
            n++;
            if (acc === null) acc = v;
            else if (name === 'min') acc = Math.min(acc, v);
            else if (name === 'max') acc = Math.max(acc, v);
            else acc += v;
          },
          result() {
            if (acc === null) return name === 'sum' ? [[as, '0']] : [];
            return [[as, formatNumber(name === 'avg' ? acc / n : acc)]];
          },
        };
      };
    },
  };
}

export const minFn = numericAcc('min');
export const maxFn = numericAcc('max');
export const sumFn = numericAcc('sum');
export const avgFn = numericAcc('avg');

/** collect(fields, limit, separator="\n"): the distinct values of each field, in first-seen order */
export const collectFn: FunctionSpec = {
  name: 'collect',
  params: [
    { name: 'fields', type: 'fields', required: true, unnamed: true },
    { name: 'limit', type: 'number' },
    { name: 'separator', type: 'string' },
    { name: 'multival', type: 'boolean' },
  ],
  accumulator(a) {
    const fields = a.fields('fields');
    const limit = a.number('limit', 2000);
    const sep = a.string('separator', '\n');
    return () => {
      const values = fields.map(() => new Set<string>());
      return {
        add(ev) {
          fields.forEach((f, i) => {
            const v = ev[f];
            if (v !== undefined && values[i]!.size < limit) values[i]!.add(v);
          });
        },
        result: () => fields.flatMap((f, i): Array<[string, string]> => (values[i]!.size ? [[f, [...values[i]!].join(sep)]] : [])),
      };
    };
  },
};

/**
 * groupBy(field, function=count(as=_count), limit=20000): one row per distinct combination of the
 * group fields, holding those fields and the aggregates' outputs and nothing else ([GROUPBY]).
 * Events lacking a group field: setting `groupby-missing` (default drop, see settings.ts).
 * Over the limit, further new groups are not created (LogScale warns; counts become lower bounds).
 */
export const groupByFn: FunctionSpec = {
  name: 'groupBy',
  params: [
    { name: 'field', type: 'fields', required: true, unnamed: true },
    { name: 'function', type: 'functions' },
    { name: 'limit', type: 'number' },
  ],
  stage(a, ctx) {
    const fields = a.fields('field');
    const accs: AccumulatorFactory[] = [];
    if (a.has('function')) {
      for (const call of a.functions('function')) {
        const acc = ctx.accumulator(call);
        if (acc) accs.push(acc);
      }
    } else accs.push(defaultCount);
    const limit = a.number('limit', GROUP_DEFAULT_LIMIT, GROUP_MAX_LIMIT);
    const keep = ctx.settings.groupbyMissing === 'keep';
    return aggregateStage(() => {
      const groups = new Map<string, { key: Array<string | undefined>; accs: Accumulator[] }>();
      return {
        add(ev) {
          const key: Array<string | undefined> = [];
          for (const f of fields) {
            const v = ev[f];
            if (v === undefined && !keep) return;
            key.push(v);
          }
          const k = JSON.stringify(key);
          let g = groups.get(k);
          if (!g) {
            if (groups.size >= limit) return;
            g = { key, accs: accs.map((make) => make()) };
            groups.set(k, g);
          }
          for (const acc of g.accs) acc.add(ev);
        },
        rows() {
          return [...groups.values()].map((g) => {
            const row: Ev = {};
            fields.forEach((f, i) => {
              if (g.key[i] !== undefined) row[f] = g.key[i]!;
            });
            for (const acc of g.accs) for (const [k, v] of acc.result()) row[k] = v;
            return row;
          });
        },
      };
    });
  },
};

const defaultCount: AccumulatorFactory = () => {
  let n = 0;
  return { add: () => void n++, result: () => [['_count', String(n)]] };
};

type SortType = 'number' | 'string' | 'hex' | 'any';

function compareValues(a: string | undefined, b: string | undefined, type: SortType): number {
  // events without the field sort last; non-numbers after numbers under type=number (both
  // undocumented, cql.md §6: a stable, deterministic choice)
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (type === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const na = type === 'hex' ? parseHex(a) : toNumber(a);
  const nb = type === 'hex' ? parseHex(b) : toNumber(b);
  if (na === null || nb === null) {
    if (na !== nb) return na === null ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return na - nb;
}

function parseHex(v: string): number | null {
  const m = /^(0[xX])?([0-9a-fA-F]+)$/.exec(v.trim());
  return m ? parseInt(m[2]!, 16) : null;
}

/** sort(field, order=desc, type=number, limit=200): defaults from [SORT]; stable */
export const sortFn: FunctionSpec = {
  name: 'sort',
  params: [
    { name: 'field', type: 'fields', unnamed: true },
    { name: 'order', type: 'strings' },
    { name: 'type', type: 'strings' },
    { name: 'limit', type: 'number' },
    { name: 'reverse', type: 'boolean' },
  ],
  stage(a, ctx) {
    const fields = a.fields('field', ['_count']);
    const orders = a.strings('order', ['desc']);
    const types = a.strings('type', ['number']);
    for (const o of orders) if (!['asc', 'desc', 'ascending', 'descending'].includes(o)) ctx.error('CQL_BAD_ARGUMENT', `sort(): order must be asc or desc (got '${o}')`, a.span('order').start);
    for (const t of types) if (!['number', 'string', 'hex', 'any'].includes(t)) ctx.error('CQL_BAD_ARGUMENT', `sort(): type must be number, string, hex or any (got '${t}')`, a.span('type').start);
    const limit = a.number('limit', SORT_DEFAULT_LIMIT, STATE_ROW_LIMIT);
    let desc = fields.map((_f, i) => (orders[i] ?? orders[0] ?? 'desc').startsWith('desc'));
    if (a.has('reverse')) desc = desc.map(() => a.boolean('reverse', true));
    const typeOf = fields.map((_f, i) => (types[i] ?? types[0] ?? 'number') as SortType);
    return aggregateStage(() => {
      const rows: Ev[] = [];
      return {
        add: (ev) => void rows.push(ev),
        rows() {
          const sorted = rows
            .map((ev, i) => ({ ev, i }))
            .sort((x, y) => {
              for (let k = 0; k < fields.length; k++) {
                const f = fields[k]!;
                const missingX = x.ev[f] === undefined;
                const missingY = y.ev[f] === undefined;
                let c = compareValues(x.ev[f], y.ev[f], typeOf[k]!);
                if (desc[k] && !missingX && !missingY) c = -c;
                if (c !== 0) return c;
              }
              return x.i - y.i;
            });
          return sorted.slice(0, limit).map((s) => s.ev);
        },
      };
    });
  },
};

function headTail(name: 'head' | 'tail'): FunctionSpec {
  return {
    name,
    params: [{ name: 'limit', type: 'number', unnamed: true }],
    stage(a) {
      const limit = a.number('limit', SORT_DEFAULT_LIMIT, STATE_ROW_LIMIT);
      return aggregateStage(() => {
        let rows: Ev[] = [];
        return {
          add(ev) {
            if (name === 'head') {
              if (rows.length < limit) rows.push(ev);
            } else {
              rows.push(ev);
              if (rows.length > limit * 2) rows = rows.slice(-limit);
            }
          },
          rows: () => (name === 'head' ? rows : rows.slice(-limit)),
        };
      });
    },
  };
}

export const headFn = headTail('head');
export const tailFn = headTail('tail');

/** top(field, limit=10, as=_count): "An event is not counted if fields are not present" ([TOP]) */
export const topFn: FunctionSpec = {
  name: 'top',
  params: [
    { name: 'field', type: 'fields', required: true, unnamed: true },
    { name: 'limit', type: 'number' },
    { name: 'as', type: 'field' },
    { name: 'sum', type: 'field' },
    { name: 'percent', type: 'boolean' },
  ],
  stage(a) {
    const fields = a.fields('field');
    const limit = a.number('limit', 10, 20_000);
    const as = a.field('as', '_count');
    const sumField = a.has('sum') ? a.field('sum') : null;
    const percent = a.boolean('percent', false);
    return aggregateStage(() => {
      const groups = new Map<string, { key: string[]; n: number; order: number }>();
      let total = 0;
      return {
        add(ev) {
          const key: string[] = [];
          for (const f of fields) {
            const v = ev[f];
            if (v === undefined) return;
            key.push(v);
          }
          const weight = sumField === null ? 1 : toNumber(ev[sumField]) ?? 0;
          const k = JSON.stringify(key);
          const g = groups.get(k) ?? { key, n: 0, order: groups.size };
          g.n += weight;
          total += weight;
          groups.set(k, g);
        },
        rows() {
          return [...groups.values()]
            .sort((x, y) => y.n - x.n || x.order - y.order)
            .slice(0, limit)
            .map((g) => {
              const row: Ev = {};
              fields.forEach((f, i) => (row[f] = g.key[i]!));
              row[as] = formatNumber(g.n);
              if (percent) row.percent = formatNumber((g.n / total) * 100);
              return row;
            });
        },
      };
    });
  },
};

/**
 * table(fields, limit=200, sortby=@timestamp, order=desc): the fields of the most recent events.
 * Events without the sort field keep their input order (after those that have it).
 */
export const tableFn: FunctionSpec = {
  name: 'table',
  params: [
    { name: 'fields', type: 'fields', required: true, unnamed: true },
    { name: 'limit', type: 'number' },
    { name: 'sortby', type: 'field' },
    { name: 'order', type: 'string', choices: ['asc', 'desc'] },
    { name: 'type', type: 'string', choices: ['number', 'string', 'hex', 'any'] },
  ],
  stage(a) {
    const fields = a.fields('fields');
    const limit = a.number('limit', SORT_DEFAULT_LIMIT, STATE_ROW_LIMIT);
    const sortby = a.field('sortby', '@timestamp');
    const desc = a.string('order', 'desc') === 'desc';
    const type = a.string('type', 'number') as SortType;
    return aggregateStage(() => {
      const rows: Ev[] = [];
      return {
        add: (ev) => void rows.push(ev),
        rows() {
          const sorted = rows
            .map((ev, i) => ({ ev, i }))
            .sort((x, y) => {
              const c = compareValues(x.ev[sortby], y.ev[sortby], type);
              const both = x.ev[sortby] !== undefined && y.ev[sortby] !== undefined;
              return (both && desc ? -c : c) || x.i - y.i;
            });
          return sorted.slice(0, limit).map((s) => pick(s.ev, fields));
        },
      };
    });
  },
};

/**
 * join(query, field, key, include, mode=inner, limit=100000): the subquery runs over every input
 * event; each main event whose `field` values equal a subquery row's `key` values gets that row's
 * `include` fields (all of its fields when include is absent). mode=inner drops main events without
 * a partner, mode=left keeps them unchanged. Several partners: the last subquery row wins (LogScale
 * documents a single row per key for join's table; LIKELY). The join holds the main events until
 * the end of input, as LogScale runs the subquery first.
 */
export const joinFn: FunctionSpec = {
  name: 'join',
  params: [
    { name: 'query', type: 'query', required: true, unnamed: true },
    { name: 'field', type: 'fields', required: true },
    { name: 'key', type: 'fields' },
    { name: 'include', type: 'fields' },
    { name: 'mode', type: 'string', choices: ['inner', 'left'] },
    { name: 'limit', type: 'number' },
    { name: 'repo', type: 'string' },
    { name: 'max', type: 'number' },
  ],
  stage(a, ctx) {
    const j = joiner(a, ctx);
    return aggregateStage(() => {
      const held: Ev[] = [];
      return {
        add: (ev) => void held.push(ev),
        rows() {
          const table = j.table();
          return held.flatMap((ev) => j.one(table, ev));
        },
      };
    });
  },
  replay(a, ctx) {
    const j = joiner(a, ctx, false);
    let table: Map<string, Ev> | null = null;
    let seen: Ev[] | null = null;
    return (ev) => {
      if (seen !== j.side.rows) {
        table = j.table();
        seen = j.side.rows;
      }
      return j.one(table!, ev);
    };
  },
};

/** the join's side query and its lookup, shared by the stage and by whyNot's replay */
function joiner(a: import('./spec.ts').BoundArgs, ctx: import('../context.ts').CompileContext, register = true) {
  const fields = a.fields('field');
  const keys = a.has('key') ? a.fields('key') : fields;
  if (register && keys.length !== fields.length) ctx.error('CQL_BAD_ARGUMENT', 'join(): field= and key= must name the same number of fields', a.span('key').start);
  const include = a.has('include') ? a.fields('include') : null;
  const inner = a.string('mode', 'inner') === 'inner';
  const limit = a.number('limit', 100_000, STATE_ROW_LIMIT);
  let side = joinSides.get(a.call);
  if (!side) {
    const q = a.query('query');
    side = { pipeline: q ? ctx.pipeline(q, { where: 'a join subquery' }) : { factories: [], stream: null, steps: [] }, rows: [] as Ev[] };
    joinSides.set(a.call, side);
    ctx.sideQueries.push(side);
  }
  const s = side;
  return {
    side: s,
    table(): Map<string, Ev> {
      const table = new Map<string, Ev>();
      for (const row of s.rows.slice(0, limit)) {
        const k = keys.map((f) => row[f]);
        if (k.some((v) => v === undefined)) continue;
        table.set(JSON.stringify(k), row);
      }
      return table;
    },
    one(table: Map<string, Ev>, ev: Ev): Ev[] {
      const k = fields.map((f) => ev[f]);
      const partner = k.some((v) => v === undefined) ? undefined : table.get(JSON.stringify(k));
      if (!partner) return inner ? [] : [ev];
      const merged = mutable(ev);
      for (const f of include ?? Object.keys(partner)) if (partner[f] !== undefined) merged[f] = partner[f]!;
      return [merged];
    },
  };
}

/** one side query per join call, whether built for the stage or for whyNot */
const joinSides = new WeakMap<import('../ast.ts').Call, import('../context.ts').SideQuery>();

/** runs a side query's pipeline over events, collecting its rows */
export function sideRunner(factories: import('../runtime.ts').StageFactory[], rows: Ev[]): Stage {
  return chain(factories, { push: (ev) => void rows.push(ev), flush: () => undefined });
}
