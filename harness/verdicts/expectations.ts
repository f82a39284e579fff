// Expectations as data, outside the ART files (atomics/<technique>/expectations.yaml): per test or
// benign scenario, rule (glob) and optionally view profile, the DetectionType the rule must fire
// with, or none, or a known gap / known false positive with its reason. Later entries override
// earlier ones, so a file can state a broad default first and the exceptions after it.
//
//   expectations:
//     - tests: [T1546.016-1]            # T<id>-<n> (T<id>-benign-<n>), auto_generated_guid or name; '*' = all
//       rules: detections/spl/*.corrected.spl
//       profile: splunk                 # optional: every profile the rule runs on
//       expect: INSTALLER_DOWNLOAD_CRADLE   # or null
//       known_gap: why it misses (point at the `explain` finding)
//       known_false_positive: why it fires on a benign scenario
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { matchGlob } from '../core/glob.ts';
import { parseYamlFile } from '../core/yaml-file.ts';
import { readText } from '../../detections/rules.ts';
import type { TestRef } from './results.ts';
import type { Expectation } from './verdict.ts';

export interface ExpectationEntry {
  tests: string[];
  rules: string;
  profile?: string;
  expectation: Expectation;
  /** file:line of the entry, shown with the verdict */
  source: string;
}

const KEYS = new Set(['tests', 'rules', 'profile', 'expect', 'known_gap', 'known_false_positive']);

export function parseExpectations(text: string, file: string): ExpectationEntry[] {
  const y = parseYamlFile(text, file);
  const doc = y.value as { expectations?: unknown } | null;
  if (!doc || !Array.isArray(doc.expectations)) throw y.error('E_EXPECTATIONS', "expected a top-level 'expectations:' list", []);
  return doc.expectations.map((raw: unknown, i: number): ExpectationEntry => {
    const where = ['expectations', i];
    if (typeof raw !== 'object' || raw === null) throw y.error('E_EXPECTATIONS', 'an expectation must be a mapping', where);
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!KEYS.has(k)) throw y.error('E_EXPECTATIONS', `unknown key '${k}' (allowed: ${[...KEYS].join(', ')})`, [...where, k]);
    const tests = Array.isArray(e.tests) ? e.tests.map(String) : typeof e.tests === 'string' ? [e.tests] : undefined;
    if (!tests?.length) throw y.error('E_EXPECTATIONS', "missing 'tests'", where);
    if (typeof e.rules !== 'string') throw y.error('E_EXPECTATIONS', "missing 'rules' (a path or glob under detections/)", where);
    if (!('expect' in e) || (e.expect !== null && typeof e.expect !== 'string')) {
      throw y.error('E_EXPECTATIONS', "'expect' must be a DetectionType or null", where);
    }
    const pos = y.at(where);
    return {
      tests,
      rules: e.rules,
      ...(typeof e.profile === 'string' ? { profile: e.profile } : {}),
      expectation: {
        expected: e.expect as string | null,
        ...(typeof e.known_gap === 'string' ? { knownGap: e.known_gap.trim() } : {}),
        ...(typeof e.known_false_positive === 'string' ? { knownFalsePositive: e.known_false_positive.trim() } : {}),
      },
      source: `${file}:${pos.line}`,
    };
  });
}

/** Every atomics/<technique>/expectations.yaml under a folder. */
export function loadExpectations(atomicsDir: string): ExpectationEntry[] {
  if (!existsSync(atomicsDir)) return [];
  const out: ExpectationEntry[] = [];
  for (const d of readdirSync(atomicsDir).sort()) {
    const f = path.join(atomicsDir, d, 'expectations.yaml');
    // named relative to the folder holding atomics/ (atomics/T1546.016/expectations.yaml), so
    // results do not depend on where the checkout lives
    const name = path.relative(path.dirname(path.resolve(atomicsDir)), f).split(path.sep).join('/');
    if (existsSync(f)) out.push(...parseExpectations(readText(f, 'expectations file'), name));
  }
  return out;
}

export function testMatches(id: string, test: TestRef): boolean {
  if (id === '*') return true;
  const lower = id.toLowerCase();
  // benign scenarios are numbered on their own: T1546.016-benign-1 (harness/atomics/select.ts)
  const short = test.kind === 'benign' ? `${test.technique}-benign-${test.number}` : `${test.technique}-${test.number}`;
  return (
    lower === short.toLowerCase() ||
    lower === test.guid.toLowerCase() ||
    lower === test.name.toLowerCase()
  );
}

export interface ResolvedExpectation {
  expectation: Expectation;
  source?: string;
}

/** The expectation for (test, rule, profile): the last matching entry, else "must stay silent". */
export function expectationFor(entries: readonly ExpectationEntry[], test: TestRef, rule: string, profile: string): ResolvedExpectation {
  let hit: ExpectationEntry | undefined;
  for (const e of entries) {
    if (e.profile !== undefined && e.profile !== profile) continue;
    if (!matchGlob(e.rules, rule)) continue;
    if (!e.tests.some((t) => testMatches(t, test))) continue;
    hit = e;
  }
  return hit ? { expectation: hit.expectation, source: hit.source } : { expectation: { expected: null } };
}
