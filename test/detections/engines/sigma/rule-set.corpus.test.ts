// SigmaRuleSet (one pass, log-source groups, literal prefilter) against the single-rule path
// (each rule's test() on each event) over SigmaHQ's rules: the matches — rule × event — must be
// identical. Events: made from the process_creation rules' own values (rule-events.ts), the
// generated Sysmon events of bench/sigma-process-creation.ts's kind, and every public recording
// under external/telemetry and external/sigma/regression_data (mixed sources: Sysmon 1/2/3/5/11/13,
// Security 4688/4697/1102, MsiInstaller).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ViewEvent } from '../../../../detections/engines/types.ts';
import { sigmaEngine } from '../../../../detections/engines/sigma/index.ts';
import type { SigmaCompiledRule } from '../../../../detections/engines/sigma/compiled-rule.ts';
import { T } from '../../../../detections/engines/sigma/logic.ts';
import { SigmaRuleSet } from '../../../../detections/engines/sigma/rule-set.ts';
import { RuleError } from '../../../../harness/core/errors.ts';
import { REPO_ROOT, external } from '../../../support/corpus.ts';
import { sigmaEvents } from './corpus-support.ts';
import { Rng, as4688, baseEvent, eventsFromRules } from './rule-events.ts';

function files(dir: string, suffix: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) files(p, suffix, out);
    else if (n.endsWith(suffix)) out.push(p);
  }
  return out;
}

/** every rule file of the folders that compiles on its own (the others are sigmahq-rules.corpus.test.ts's concern) */
function compileAll(dirs: string[]): SigmaCompiledRule[] {
  const out: SigmaCompiledRule[] = [];
  for (const f of dirs.flatMap((d) => files(d, '.yml'))) {
    try {
      out.push(sigmaEngine.compile(readFileSync(f, 'utf8'), { file: f }));
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
    }
  }
  return out;
}

/** "eventIndex rule-file" for every match, from both paths, and the differences */
function compare(rules: readonly SigmaCompiledRule[], events: readonly ViewEvent[]) {
  const set = new SigmaRuleSet(rules);
  const name = (r: number) => path.basename(rules[r]!.file);
  const viaSet: string[] = [];
  const viaRules: string[] = [];
  // fresh copies for each path: no per-event cache shared between them
  events.forEach((e, i) => {
    for (const r of set.match({ ...e })) viaSet.push(`${i} ${name(r)}`);
    const copy = { ...e };
    rules.forEach((rule, r) => {
      if (rule.test(copy) === T) viaRules.push(`${i} ${name(r)}`);
    });
  });
  const a = new Set(viaSet);
  const b = new Set(viaRules);
  return {
    viaSet,
    viaRules,
    onlySet: viaSet.filter((m) => !b.has(m)),
    onlyRules: viaRules.filter((m) => !a.has(m)),
    rulesFiring: new Set(viaRules.map((m) => m.slice(m.indexOf(' ') + 1))).size,
    stats: set.stats,
  };
}

describe('SigmaRuleSet gives the same matches as each rule alone', () => {
  const pc = compileAll([external('sigma/rules/windows/process_creation')]);

  it(`${pc.length} process_creation rules over events made from their own values, generated events and their 4688 twins`, () => {
    expect(pc.length).toBeGreaterThan(1150);
    const rng = new Rng(99);
    const events: ViewEvent[] = [...eventsFromRules(pc)];
    for (let i = 0; i < 2000; i++) {
      const e = baseEvent(rng, i);
      events.push(rng.int(5) === 0 ? as4688(e) : e);
    }
    const r = compare(pc, events);
    console.log(
      `rule set vs single rules: ${events.length} events, ${r.viaRules.length} matches by ${r.rulesFiring} of ${pc.length} rules; prefilter: ${r.stats.atoms} atoms, ${r.stats.unfiltered} rules unfiltered`,
    );
    expect(r.onlySet).toEqual([]);
    expect(r.onlyRules).toEqual([]);
    expect(r.viaSet).toEqual(r.viaRules);
    // the events make most rules fire, so the comparison covers their prefilter clauses
    expect(r.rulesFiring).toBeGreaterThan(pc.length * 0.6);
  });

  it('every SigmaHQ rule (all categories), the relevant rules and the lab rules over the public recordings (mixed log sources)', async () => {
    const all = compileAll([external('sigma/rules'), external('sigma/rules-relevant'), path.join(REPO_ROOT, 'detections/sigma')]);
    expect(all.length).toBeGreaterThan(1400);
    const recordings = [...files(external('telemetry'), '.derived.xml'), ...files(external('sigma/regression_data'), '.json')];
    const events: ViewEvent[] = [];
    for (const f of recordings) events.push(...(await sigmaEvents(f)));
    expect(events.length).toBeGreaterThan(900);
    const r = compare(all, events);
    console.log(`recordings: ${events.length} events, ${r.viaRules.length} matches by ${r.rulesFiring} rules; ${r.stats.groups} log-source groups`);
    expect(r.onlySet).toEqual([]);
    expect(r.onlyRules).toEqual([]);
    expect(r.viaSet).toEqual(r.viaRules);
    expect(r.rulesFiring).toBeGreaterThan(10);
    expect(r.stats.groups).toBeGreaterThan(10);
  });
});
