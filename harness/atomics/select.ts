// Test selection by id (CONTRACTS.md `run --tests`): `T1546.016-1` (technique and 1-based
// number; `T1546.016-benign-1` for benign scenarios), a test's `auto_generated_guid`, or its name
// (exact; case-insensitive when the exact spelling matches nothing). A bare technique id selects all
// of its tests, benign scenarios included. An id that matches nothing is a usage error.
import { UsageError } from '../core/errors.ts';
import type { AtomicTest, Technique } from './model.ts';

export function allTests(techniques: readonly Technique[]): AtomicTest[] {
  return techniques.flatMap((t) => t.tests);
}

export function matchesId(test: AtomicTest, id: string): boolean {
  const lower = id.trim().toLowerCase();
  return test.id.toLowerCase() === lower || test.guid === lower || test.technique.toLowerCase() === lower || test.name === id;
}

export function selectTests(techniques: readonly Technique[], ids: readonly string[]): AtomicTest[] {
  const tests = allTests(techniques);
  if (ids.length === 0) return tests;
  const picked = new Set<AtomicTest>();
  for (const id of ids) {
    let found = tests.filter((t) => matchesId(t, id));
    if (found.length === 0) found = tests.filter((t) => t.name.toLowerCase() === id.trim().toLowerCase());
    if (found.length === 0) {
      throw new UsageError(`no atomic test matches '${id}' (use T1546.016-1, a test's auto_generated_guid, or its name; \`atomic-lab list\` shows them)`);
    }
    for (const t of found) picked.add(t);
  }
  // keep file order, not the order of the ids
  return tests.filter((t) => picked.has(t));
}
