// Many compiled rules over one event stream in one pass (the SigmaHQ corpus over a day of logs).
// Results are exactly those of testing every rule on every event (SigmaCompiledRule.testContext);
// the set only avoids evaluating rules that cannot be true:
//   - rules are grouped by log source (rules with the same `logsource` share their selectors), so
//     a group whose log source does not select the event is skipped with one check;
//   - each rule's necessary literals (prefilter.ts) are searched in one Aho–Corasick pass per
//     (group, field) over the lower-cased value (literal-scan.ts), as Hayabusa and Chainsaw use
//     literal fast paths before any matcher; a rule is evaluated only when every clause has a hit;
//   - one EventContext per event (lower-cased values and log-source checks computed once),
//     dropped after the event instead of kept in the WeakMap that contextOf uses.
import type { ResultRow, ViewEvent } from '../types.ts';
import type { SigmaCompiledRule } from './compiled-rule.ts';
import { EventContext, lookupField } from './evaluate.ts';
import { LiteralScanner, type HitSink } from './literal-scan.ts';
import { T } from './logic.ts';
import type { Resolved } from './logsource.ts';
import { lowers } from './modifiers/values.ts';
import { type Cnf, detectionCnf, mostSelective } from './prefilter.ts';

interface FieldScan {
  /** taxonomy field; null = every value of the event (keywords) */
  field: string | null;
  scanner: LiteralScanner;
}

interface Group {
  /** rules sharing this log source decide selectorFor identically */
  first: SigmaCompiledRule;
  fields: FieldScan[];
  /** rules without clauses: evaluated on every event the group selects */
  always: number[];
}

/** Atom ids found in the current event, each once. */
class Hits implements HitSink {
  readonly list: number[] = [];
  gen = 0;
  constructor(readonly stamp: Int32Array) {}
  add(id: number): void {
    if (this.stamp[id] !== this.gen) {
      this.stamp[id] = this.gen;
      this.list.push(id);
    }
  }
}

export interface RuleSetStats {
  rules: number;
  /** distinct log sources */
  groups: number;
  /** distinct (log source, field, literal) atoms searched */
  atoms: number;
  /** rules with no necessary literal: evaluated on every event of their log source */
  unfiltered: number;
}

export interface SigmaMatch {
  rule: SigmaCompiledRule;
  ruleIndex: number;
  eventIndex: number;
}

export class SigmaRuleSet {
  readonly stats: RuleSetStats;
  private readonly groups: Group[] = [];
  /** per rule: its clauses as atom ids */
  private readonly clauses: Int32Array[][];
  /** atom id → rules whose most selective clause holds it */
  private readonly triggers: number[][] = [];
  private readonly ruleStamp: Int32Array;
  private readonly hits: Hits;
  private readonly candidates: number[] = [];

  constructor(readonly rules: readonly SigmaCompiledRule[]) {
    const byLogsource = new Map<Resolved, { first: SigmaCompiledRule; members: { index: number; cnf: Cnf }[] }>();
    rules.forEach((rule, index) => {
      let g = byLogsource.get(rule.resolved);
      if (!g) byLogsource.set(rule.resolved, (g = { first: rule, members: [] }));
      g.members.push({ index, cnf: detectionCnf(rule.doc.detection) });
    });
    this.clauses = rules.map(() => []);
    let unfiltered = 0;
    for (const { first, members } of byLogsource.values()) {
      const atomIds = new Map<string, number>();
      const perField = new Map<string | null, { texts: string[]; ids: number[] }>();
      const atomId = (field: string | null, text: string): number => {
        const key = `${field ?? ''}\0${text}`;
        let id = atomIds.get(key);
        if (id === undefined) {
          atomIds.set(key, (id = this.triggers.length));
          this.triggers.push([]);
          let f = perField.get(field);
          if (!f) perField.set(field, (f = { texts: [], ids: [] }));
          f.texts.push(text);
          f.ids.push(id);
        }
        return id;
      };
      const always: number[] = [];
      for (const { index, cnf } of members) {
        if (cnf.length === 0) {
          always.push(index);
          unfiltered++;
          continue;
        }
        this.clauses[index] = cnf.map((cl) => Int32Array.from(cl, (a) => atomId(a.field, a.text)));
        for (const a of mostSelective(cnf)) this.triggers[atomId(a.field, a.text)]!.push(index);
      }
      const fields = [...perField].map(([field, f]) => ({ field, scanner: new LiteralScanner(f.texts, f.ids) }));
      this.groups.push({ first, fields, always });
    }
    this.ruleStamp = new Int32Array(rules.length);
    this.hits = new Hits(new Int32Array(this.triggers.length));
    this.stats = { rules: rules.length, groups: this.groups.length, atoms: this.triggers.length, unfiltered };
  }

  /** Indices (ascending) of the rules that match the event: testContext(event) === true. */
  match(event: ViewEvent): number[] {
    const ctx = new EventContext(event);
    const hits = this.hits;
    if (hits.gen === 0x7fffffff) {
      // the stamps are Int32: start again rather than wrap
      hits.stamp.fill(0);
      this.ruleStamp.fill(0);
      hits.gen = 0;
    }
    const gen = ++hits.gen;
    const cands = this.candidates;
    cands.length = 0;
    for (const g of this.groups) {
      const sel = g.first.selectorFor(ctx);
      if (sel === null) continue;
      hits.list.length = 0;
      for (const f of g.fields) {
        const fv = f.field === null ? ctx.allValues() : lookupField(ctx, sel, f.field);
        if (fv === null || fv === 'unsupported') continue;
        for (const s of lowers(fv)) f.scanner.scan(s, hits);
      }
      for (const r of g.always) cands.push(r);
      for (const atom of hits.list) {
        for (const r of this.triggers[atom]!) {
          if (this.ruleStamp[r] === gen) continue;
          this.ruleStamp[r] = gen;
          if (this.allClausesHit(r, gen)) cands.push(r);
        }
      }
    }
    if (cands.length > 1) cands.sort((a, b) => a - b);
    const out: number[] = [];
    for (const r of cands) if (this.rules[r]!.testContext(ctx) === T) out.push(r);
    return out;
  }

  private allClausesHit(rule: number, gen: number): boolean {
    const stamp = this.hits.stamp;
    for (const clause of this.clauses[rule]!) {
      let hit = false;
      for (let i = 0; i < clause.length; i++) {
        if (stamp[clause[i]!] === gen) {
          hit = true;
          break;
        }
      }
      if (!hit) return false;
    }
    return true;
  }

  /** Every (rule, event) match in event order, rules in set order within an event. */
  *matches(events: Iterable<ViewEvent>): Iterable<SigmaMatch> {
    let eventIndex = 0;
    for (const e of events) {
      for (const ruleIndex of this.match(e)) yield { rule: this.rules[ruleIndex]!, ruleIndex, eventIndex };
      eventIndex++;
    }
  }

  /** Result rows as each rule's own evaluate() yields them, in event order. */
  async *evaluate(events: AsyncIterable<ViewEvent> | Iterable<ViewEvent>): AsyncIterable<SigmaMatch & { row: ResultRow }> {
    let eventIndex = 0;
    for await (const e of events) {
      for (const ruleIndex of this.match(e)) {
        const rule = this.rules[ruleIndex]!;
        yield { rule, ruleIndex, eventIndex, row: rule.row(e) };
      }
      eventIndex++;
    }
  }
}
