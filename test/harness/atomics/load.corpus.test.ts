// The upstream corpus (external/atomic-red-team/atomics: 341 files, 1,819 tests at commit
// 9f85cf3e54b0; reference/atomics.md §1.5) loads completely. Load failures (unreadable, YAML
// syntax) and upstream-validator findings are counted and printed separately.
import { describe, expect, it } from 'vitest';
import { loadAtomicsDir } from '../../../harness/atomics/load.ts';
import { atomicsFolderFor } from '../../../harness/targets/lab-session.ts';
import { substitute } from '../../../harness/atomics/substitute.ts';
import { runCli } from '../../support/cli.ts';
import { external } from '../../support/corpus.ts';

const DIR = external('atomic-red-team', 'atomics');

describe('upstream Atomic Red Team corpus', () => {
  const r = loadAtomicsDir(DIR);
  const tests = r.techniques.flatMap((t) => t.tests);
  const loadFailures = r.failures.filter((f) => f.findings.length === 0);
  const validatorFindings = r.failures.flatMap((f) => f.findings);

  it('all 341 files load (1,819 tests)', () => {
    console.log(`corpus: ${r.techniques.length}/${r.files} files loaded, ${tests.length} tests; ${loadFailures.length} load failures; ${validatorFindings.length} upstream-validator findings`);
    for (const f of r.failures) console.log(`  ${f.error.describe()}`);
    expect(r.files).toBe(341);
    expect(loadFailures).toEqual([]);
    expect(validatorFindings).toEqual([]);
    expect(r.techniques).toHaveLength(341);
    expect(tests).toHaveLength(1819);
  });

  it('matches the corpus facts: executors powershell 703, command_prompt 559, sh 413, bash 128, manual 16', () => {
    const count: Record<string, number> = {};
    for (const t of tests) count[t.executor.name] = (count[t.executor.name] ?? 0) + 1;
    expect(count).toEqual({ powershell: 703, command_prompt: 559, sh: 413, bash: 128, manual: 16 });
    expect(tests.filter((t) => t.dependencies.length > 0)).toHaveLength(726);
    expect(tests.filter((t) => t.executor.elevationRequired)).toHaveLength(682);
  });

  it('every command substitutes completely (nested defaults such as T1055.011 #{arch} included)', () => {
    let nested = 0;
    for (const t of tests) {
      if (t.executor.name === 'manual') continue;
      const r2 = substitute(t.executor.command, t, { shell: t.executor.name, atomicsFolder: atomicsFolderFor(t.executor.name) });
      expect(r2.unresolved, t.id).toEqual([]);
      if (t.inputArguments.some((a) => typeof a.default === 'string' && a.default.includes('#{'))) nested++;
    }
    expect(nested).toBeGreaterThan(0);
  });

  it('atomic-lab list --atomics <corpus> --format json prints one line per test and exits 0', async () => {
    const out = await runCli(['list', '--atomics', DIR, '--format', 'json']);
    expect(out.exitCode).toBe(0);
    expect(out.stdout.trim().split('\n')).toHaveLength(1819);
  });
});
