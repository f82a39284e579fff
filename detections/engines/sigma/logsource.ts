// Log-source pipelines as data: which events a rule's `logsource` selects, and how taxonomy field
// names map onto each source. The data lives in detections/mappings/sigma/*.yml; this module only
// interprets it.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const MAPPINGS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../mappings/sigma');

type WhereTest = { field: string; test: (v: unknown) => boolean; text: string };

export interface Selector {
  id: number;
  product: string;
  /** source name for messages: sysmon, security-4688, sysmon-linux, auditd, ... */
  source: string;
  where: WhereTest[];
  fields?: ReadonlyMap<string, string>;
  values?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  onlyMapped: boolean;
  common: ReadonlySet<string>;
  /** human-readable description: `Channel=Security EventID=4688` */
  text: string;
}

export interface LogsourceSpec {
  product?: string;
  category?: string;
  service?: string;
}

export interface Resolved {
  /** 'any': the rule names no logsource keys; otherwise the selectors (possibly none = unmapped) */
  selectors: Selector[] | 'any';
  /** set when the mapping files know no selector for this logsource */
  unmapped?: string;
}

interface ProductDef {
  name: string;
  where: Record<string, unknown>;
  common: string[];
  services: Record<string, SelectorDef[]>;
  categories: Record<string, SelectorDef[]>;
}

interface SelectorDef {
  source?: string;
  where?: Record<string, unknown>;
  fields?: Record<string, string>;
  values?: Record<string, Record<string, string>>;
  only_mapped?: boolean;
}

export class Pipeline {
  readonly labelFields: string[];
  readonly optionalWhere: Set<string>;
  readonly placeholders: Map<string, string[]>;
  readonly selectorCount: () => number;
  private nextId = 0;
  private products = new Map<string, ProductDef>();
  private taxonomyFields = new Map<string, Set<string>>();
  private cache = new Map<string, Resolved>();

  constructor(files: { name: string; data: Record<string, unknown> }[]) {
    const common = files.find((f) => f.name === 'common.yml')?.data ?? {};
    this.labelFields = (common.label_fields as string[]) ?? [];
    this.optionalWhere = new Set((common.optional_where as string[]) ?? []);
    this.placeholders = new Map(Object.entries((common.placeholders as Record<string, unknown>) ?? {}).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]));
    const tax = files.find((f) => f.name === 'taxonomy.yml')?.data ?? {};
    const always = (tax.always as string[]) ?? [];
    for (const [cat, fields] of Object.entries((tax.taxonomy as Record<string, string[]>) ?? {})) {
      this.taxonomyFields.set(cat, new Set([...fields, ...always]));
    }
    for (const f of files) {
      const d = f.data;
      if (typeof d.product !== 'string') continue;
      this.products.set(d.product, {
        name: d.product,
        where: (d.where as Record<string, unknown>) ?? {},
        common: (d.common_fields as string[]) ?? [],
        services: (d.services as Record<string, SelectorDef[]>) ?? {},
        categories: (d.categories as Record<string, SelectorDef[]>) ?? {},
      });
    }
    this.selectorCount = () => this.nextId;
  }

  static load(dir = MAPPINGS_DIR): Pipeline {
    const files = readdirSync(dir)
      .filter((n) => n.endsWith('.yml') || n.endsWith('.yaml'))
      .sort()
      .map((name) => ({ name, data: (parse(readFileSync(path.join(dir, name), 'utf8')) ?? {}) as Record<string, unknown> }));
    return new Pipeline(files);
  }

  /** true when the event carries no log-source field at all (see common.yml label_fields) */
  isUnlabelled(event: Record<string, unknown>): boolean {
    for (const f of this.labelFields) if (event[f] !== undefined && event[f] !== null) return false;
    return true;
  }

  /** taxonomy field names of the logsource's category, when the data defines them */
  taxonomy(ls: LogsourceSpec): ReadonlySet<string> | undefined {
    return ls.category ? this.taxonomyFields.get(ls.category) : undefined;
  }

  resolve(ls: LogsourceSpec): Resolved {
    const key = `${ls.product ?? ''}|${ls.category ?? ''}|${ls.service ?? ''}`;
    let r = this.cache.get(key);
    if (!r) {
      r = this.doResolve(ls);
      this.cache.set(key, r);
    }
    return r;
  }

  private doResolve(ls: LogsourceSpec): Resolved {
    if (!ls.product && !ls.category && !ls.service) return { selectors: 'any' };
    const products = ls.product ? [this.products.get(ls.product)].filter((p): p is ProductDef => !!p) : [...this.products.values()];
    const out: Selector[] = [];
    for (const p of products) {
      let defs: SelectorDef[] | undefined;
      if (ls.category) {
        defs = p.categories[ls.category];
        if (defs && ls.service) {
          const svc = p.services[ls.service];
          defs = svc ? defs.flatMap((c) => svc.map((s) => ({ ...c, where: { ...c.where, ...s.where } }))) : undefined;
        }
      } else if (ls.service) defs = p.services[ls.service];
      else defs = [{ source: p.name, where: p.where }];
      for (const d of defs ?? []) out.push(this.makeSelector(p, d, ls.service));
    }
    if (out.length) return { selectors: out };
    const desc = Object.entries(ls).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join(', ');
    return { selectors: [], unmapped: `no pipeline in detections/mappings/sigma/ selects events for logsource {${desc}}` };
  }

  private makeSelector(p: ProductDef, d: SelectorDef, service: string | undefined): Selector {
    const where = Object.entries({ ...(d.where ?? {}) }).map(([field, spec]) => this.whereTest(field, spec));
    return {
      id: this.nextId++,
      product: p.name,
      source: d.source ?? service ?? p.name,
      where,
      ...(d.fields ? { fields: new Map(Object.entries(d.fields)) } : {}),
      ...(d.values ? { values: new Map(Object.entries(d.values).map(([k, v]) => [k, new Map(Object.entries(v).map(([a, b]) => [a.toLowerCase(), b]))])) } : {}),
      onlyMapped: d.only_mapped === true,
      common: new Set(p.common),
      text: where.map((w) => w.text).join(' '),
    };
  }

  private whereTest(field: string, spec: unknown): WhereTest {
    const optional = this.optionalWhere.has(field);
    const absent = (v: unknown): boolean => v === undefined || v === null;
    const eqAny = (vals: unknown[]) => {
      const set = new Set(vals.map((v) => String(v).toLowerCase()));
      return (v: unknown) => set.has(String(v).toLowerCase());
    };
    const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);
    if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
      const o = spec as Record<string, unknown>;
      if ('exists' in o) {
        const want = o.exists === true;
        return { field, text: `${field}${want ? ' exists' : ' absent'}`, test: (v) => (absent(v) ? !want : want) };
      }
      if ('not' in o) {
        const eq = eqAny(list(o.not));
        return { field, text: `${field}≠${list(o.not).join('|')}`, test: (v) => absent(v) || !eq(v) };
      }
      throw new Error(`mapping: unknown where form for ${field}: ${JSON.stringify(spec)}`);
    }
    const eq = eqAny(list(spec));
    return { field, text: `${field}=${list(spec).join('|')}`, test: (v) => (absent(v) ? optional : eq(v)) };
  }
}

let defaultPipeline: Pipeline | undefined;
export function getPipeline(): Pipeline {
  return (defaultPipeline ??= Pipeline.load());
}

/** Does the event belong to this selector? */
export function selects(sel: Selector, event: Record<string, unknown>): boolean {
  for (const w of sel.where) if (!w.test(event[w.field])) return false;
  return true;
}

/** Event field for a taxonomy field on this selector; 'unsupported' when the source lacks it. */
export function mapField(sel: Selector | undefined, field: string): string | 'unsupported' {
  if (!sel) return field;
  const m = sel.fields?.get(field);
  if (m !== undefined) return m;
  if (sel.onlyMapped && !sel.common.has(field)) return 'unsupported';
  return field;
}
