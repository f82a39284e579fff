// A compiled Sigma rule: the loaded document, its filters, and its log-source selectors, behind
// the engine seam (compile → evaluate / whyNot / explain).
import type { CompiledRule, Explanation, MissExplanation, ResultRow, RuleMetadata, ViewEvent } from '../types.ts';
import { type EventContext, contextOf, detectionFn } from './evaluate.ts';
import { explainRule } from './explain.ts';
import { F, T, type TV, and } from './logic.ts';
import { type Resolved, type Selector, getPipeline } from './logsource.ts';
import type { SigmaFilterDoc, SigmaRuleDoc } from './rule.ts';
import { whyNotRule } from './whynot.ts';

export class SigmaCompiledRule implements CompiledRule {
  readonly language = 'sigma' as const;
  readonly view = 'sigma' as const;
  readonly meta: RuleMetadata;
  readonly resolved: Resolved;
  private readonly ruleFn: ReturnType<typeof detectionFn>;
  private readonly filterFns: ReturnType<typeof detectionFn>[];

  constructor(
    readonly file: string,
    readonly doc: SigmaRuleDoc,
    readonly filters: readonly SigmaFilterDoc[],
  ) {
    const m = doc.meta;
    this.meta = {
      title: m.title,
      ...(m.id ? { id: m.id } : {}),
      ...(m.description ? { description: m.description } : {}),
      ...(m.level ? { level: m.level } : {}),
      ...(m.tags ? { tags: m.tags } : {}),
    };
    this.resolved = getPipeline().resolve(doc.logsource);
    this.ruleFn = detectionFn(doc.detection);
    this.filterFns = filters.map((f) => detectionFn(f.detection));
  }

  /** the DetectionType the rule declares (atomic-lab extension `detection_type`) */
  get detectionType(): string | undefined {
    return this.doc.meta.detection_type;
  }

  /** The selector through which the rule sees this event; null when its logsource excludes it. */
  selectorFor(ctx: EventContext): Selector | undefined | null {
    if (ctx.unlabelled || this.resolved.selectors === 'any') return undefined;
    for (const s of this.resolved.selectors) if (ctx.selected(s)) return s;
    return null;
  }

  /** true / false / unknown (a field the event's source lacks decided it) for one event */
  test(event: ViewEvent): TV {
    return this.testContext(contextOf(event));
  }

  /** test() for callers that hold the event's context already (many rules over one event) */
  testContext(ctx: EventContext): TV {
    const sel = this.selectorFor(ctx);
    if (sel === null) return F;
    let r = this.ruleFn(ctx, sel);
    for (const f of this.filterFns) {
      if (r === F) break;
      r = and(r, f(ctx, sel));
    }
    return r;
  }

  matches(event: ViewEvent): boolean {
    return this.test(event) === T;
  }

  row(event: ViewEvent): ResultRow {
    const row: ResultRow = {};
    for (const [k, v] of Object.entries(event)) {
      if (v === null || v === undefined) continue;
      if (Array.isArray(v)) row[k] = v.filter((x) => x !== null && x !== undefined).map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x)));
      else row[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    row['sigma.rule_id'] = this.doc.meta.id ?? '';
    row['sigma.title'] = this.doc.meta.title;
    // DRL 1.1: messages generated from matches keep the rule's author identification
    if (this.doc.meta.author) row['sigma.author'] = this.doc.meta.author;
    if (this.doc.meta.detection_type) row['sigma.detection_type'] = this.doc.meta.detection_type;
    if (this.doc.meta.level) row['sigma.level'] = this.doc.meta.level;
    return row;
  }

  async *evaluate(events: AsyncIterable<ViewEvent> | Iterable<ViewEvent>): AsyncIterable<ResultRow> {
    for await (const e of events) if (this.matches(e)) yield this.row(e);
  }

  whyNot(events: readonly ViewEvent[], options?: { limit?: number }): MissExplanation {
    return whyNotRule(this, events, options?.limit ?? 3);
  }

  explain(): Explanation {
    return explainRule(this);
  }
}
