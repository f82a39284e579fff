// whyNot: for a rule that did not fire, the selection items that were false (or unknown) on the
// events nearest to matching. "Nearest" = most true items in the selections the condition needs
// to be true; events outside the rule's log source rank last.
import type { MissExplanation, NearMiss, PredicateOutcome, ViewEvent } from '../types.ts';
import type { Cond } from './condition.ts';
import type { SigmaCompiledRule } from './compiled-rule.ts';
import { contextOf, evalItem, evalNode, lookupField } from './evaluate.ts';
import { F, T, U } from './logic.ts';
import { mapField, type Selector } from './logsource.ts';
import type { Item } from './rule.ts';

/** selection name → used positively (true) or under an odd number of `not` (false) */
export function polarity(c: Cond, neg = false, out = new Map<string, boolean>()): Map<string, boolean> {
  switch (c.k) {
    case 'id':
      out.set(c.name, !neg);
      break;
    case 'of':
      c.names.forEach((n) => out.set(n, !neg));
      break;
    case 'not':
      polarity(c.item, !neg, out);
      break;
    default:
      c.items.forEach((i) => polarity(i, neg, out));
  }
  return out;
}

function short(s: string): string {
  return s.length > 160 ? s.slice(0, 157) + '...' : s;
}

function detailFor(item: Item, ctx: ReturnType<typeof contextOf>, sel: Selector | undefined): string {
  if (item.field === null) return 'no value of the event contains it';
  const name = mapField(sel, item.field);
  if (name === 'unsupported') return `${item.field} is not carried by ${sel?.source ?? 'this source'} events (unknown, not false)`;
  const v = lookupField(ctx, sel, item.field);
  if (v === 'unsupported') return `${item.field} is unsupported`;
  const shown = name === item.field ? item.field : `${item.field} (${name})`;
  if (v === null) return `${shown} is missing`;
  return `${shown} = ${JSON.stringify(short(v.strs.join(' | ')))}`;
}

export function whyNotRule(rule: SigmaCompiledRule, events: readonly ViewEvent[], limit: number): MissExplanation {
  const det = rule.doc.detection;
  const pol = new Map<string, boolean>();
  det.conditions.forEach((c) => polarity(c.tree, false, pol));
  const scored: { miss: NearMiss; score: number }[] = [];
  let matched = 0;
  let unknown = 0;
  events.forEach((event, eventIndex) => {
    const ctx = contextOf(event);
    const sel = rule.selectorFor(ctx);
    const passed: PredicateOutcome[] = [];
    const failed: PredicateOutcome[] = [];
    if (sel === null) {
      const labels = ['Channel', 'EventID', 'Provider_Name', 'type'].filter((k) => event[k] !== undefined).map((k) => `${k}=${String(event[k])}`);
      failed.push({ predicate: `logsource ${JSON.stringify(rule.doc.logsource)}`, detail: `event is outside it (${labels.join(' ') || 'no log-source fields'})` });
      scored.push({ miss: { eventIndex, passed, failed }, score: -1 });
      return;
    }
    const overall = rule.test(event);
    if (overall === T) matched++;
    if (overall === U) unknown++;
    let score = 0;
    for (const [name, positive] of pol) {
      const s = det.selections.get(name)!;
      if (positive) {
        for (const item of s.items) {
          const v = evalItem(item, ctx, sel);
          const o: PredicateOutcome = { predicate: `${name}: ${item.text}`, ...(item.pos ? { position: { file: rule.file, ...item.pos } } : {}) };
          if (v === T) {
            passed.push(o);
            score++;
          } else failed.push({ ...o, detail: (v === U ? 'unknown: ' : '') + detailFor(item, ctx, sel) });
        }
      } else {
        const v = evalNode(s.node, ctx, sel);
        const o: PredicateOutcome = { predicate: `not ${name}`, ...(s.pos ? { position: { file: rule.file, ...s.pos } } : {}) };
        if (v === F) passed.push(o);
        else {
          const hit = s.items.filter((i) => evalItem(i, ctx, sel) !== F).map((i) => `${i.text} (${detailFor(i, ctx, sel)})`);
          failed.push({ ...o, detail: `${v === U ? 'unknown: ' : ''}${name} matched the event: ${hit.join('; ')}` });
        }
      }
    }
    if (sel) passed.unshift({ predicate: `logsource ${JSON.stringify(rule.doc.logsource)}`, detail: `${sel.source}: ${sel.text}` });
    scored.push({ miss: { eventIndex, passed, failed }, score });
  });
  scored.sort((a, b) => b.score - a.score || a.miss.eventIndex - b.miss.eventIndex);
  const nearest = scored.slice(0, limit).map((s) => s.miss);
  let summary: string;
  if (events.length === 0) summary = 'no events to evaluate';
  else if (matched > 0) summary = `the rule matched ${matched} of ${events.length} events`;
  else {
    const best = nearest[0]!;
    const why = best.failed.map((f) => `${f.predicate}${f.detail ? ` (${f.detail})` : ''}`).slice(0, 3).join('; ');
    summary = `no event matched${unknown ? ` (${unknown} undecidable: a field the log source lacks)` : ''}; nearest is event #${best.eventIndex} with ${best.passed.length} true and ${best.failed.length} false: ${why}`;
  }
  return { nearest, summary };
}
