// SigmaHQ regression data (external/sigma/regression_data/): each info.yml names the rule and the
// recorded events; the rule must match them as SigmaHQ's CI expects (match_count when given,
// otherwise at least one match). The Rust-evtx JSON rendering beside each .evtx is read through
// the shared readers and the Sigma view.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { external } from '../../../support/corpus.ts';
import { compileFile, sigmaEvents } from './corpus-support.ts';

function findInfo(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) findInfo(p, out);
    else if (n === 'info.yml') out.push(p);
  }
  return out;
}

function findRule(id: string): string {
  const roots = [external('sigma/rules'), external('sigma/rules-relevant')];
  const stack = [...roots];
  while (stack.length) {
    const d = stack.pop()!;
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) stack.push(p);
      else if (n.endsWith('.yml') && new RegExp(`^id: ${id}\\s*$`, 'm').test(readFileSync(p, 'utf8'))) return p;
    }
  }
  throw new Error(`no rule with id ${id}`);
}

const infos = findInfo(external('sigma/regression_data'));

describe('SigmaHQ regression data', () => {
  it('holds the four sets the reference names', () => {
    expect(infos).toHaveLength(4);
  });
  for (const info of infos) {
    const meta = parse(readFileSync(info, 'utf8')) as {
      rule_metadata: { id: string; title: string }[];
      regression_tests_info: { name: string; type: string; path: string; match_count?: number }[];
    };
    const ruleId = meta.rule_metadata[0]!.id;
    it(`${meta.rule_metadata[0]!.title} (${ruleId})`, async () => {
      const rule = compileFile(findRule(ruleId));
      expect(rule.meta.id).toBe(ruleId);
      for (const t of meta.regression_tests_info) {
        const json = external('sigma', t.path.replace(/\.evtx$/, '.json'));
        const events = await sigmaEvents(json);
        expect(events.length).toBeGreaterThan(0);
        const matched = events.filter((e) => rule.matches(e)).length;
        if (t.match_count !== undefined) expect(matched).toBe(t.match_count);
        else expect(matched).toBeGreaterThanOrEqual(1);
        // every match row carries the rule id, title and (DRL 1.1) author
        const rows = [];
        for await (const row of rule.evaluate(events)) rows.push(row);
        expect(rows).toHaveLength(matched);
        expect(rows[0]).toMatchObject({ 'sigma.rule_id': ruleId, 'sigma.author': expect.any(String) });
      }
    });
  }
  it('the Shai-Hulud Bun recording holds 6 process events of which only the last matches', async () => {
    const dir = external('sigma/regression_data/rules-emerging-threats/2025/Malware/Shai-Hulud/proc_creation_win_mal_shai_hulud_malicious_node_bun_execution');
    const events = await sigmaEvents(path.join(dir, '5299fadf-f228-4526-8274-251db1960be9.json'));
    const rule = compileFile(findRule('5299fadf-f228-4526-8274-251db1960be9'));
    expect(events.map((e) => rule.matches(e))).toEqual([false, false, false, false, false, true]);
  });
});
