// The lab's per-test data (lab-spec.ts): atomics/<TID>/lab.yaml keyed by auto_generated_guid.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAtomicsStrict } from '../../../harness/atomics/load.ts';
import { InputError } from '../../../harness/core/errors.ts';
import { expand, loadLabSpecs, parseLabFile } from '../../../harness/run/lab-spec.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

describe('lab.yaml', () => {
  const specs = loadLabSpecs(path.join(REPO_ROOT, 'atomics'));

  it('has data for every lab atomic and benign scenario, each with proof of execution and signals', () => {
    const tests = loadAtomicsStrict(path.join(REPO_ROOT, 'atomics')).flatMap((t) => t.tests);
    for (const t of tests) {
      const spec = specs.get(t.guid!);
      expect(spec, t.id).toBeDefined();
      expect(spec!.proof.length, t.id).toBeGreaterThan(0);
      expect(spec!.signals.length, t.id).toBeGreaterThan(0);
      for (const name of Object.keys(spec!.inputs)) expect(t.inputArguments.map((a) => a.name), `${t.id} input ${name}`).toContain(name);
    }
  });

  it("carries the seeds' expected-signal sentences for tests 1-3, with MsiInstaller events not observable under Wine", () => {
    const t1 = specs.get('ca90561e-4a0c-44f9-b8d7-aace0802f6a9')!;
    expect(t1.signals.map((s) => s.description)).toEqual([
      'Process creation for msiexec.exe',
      'Subsequent process creation for powershell.exe',
      'The parent-child relationship (msiexec -> powershell) combined with the powershell command line arguments',
    ]);
    const t3 = specs.get('4c4d06fb-b382-48bc-9e60-7899d53e444b')!;
    expect(t3.signals.at(-1)!.not_observable_on?.wine).toMatch(/no event log/);
  });

  it('rejects unknown keys and bad regexes with their position', () => {
    const bad = (body: string) => () => parseLabFile(`tests:\n  0c6a1d7e-6f0b-4c58-9f4e-0a1b2c3d4e01:\n${body}`, 'lab.yaml');
    expect(bad('    inputz: {}\n')).toThrow(InputError);
    try {
      bad('    signals:\n      - description: x\n        match: {name: {regex: "(" }}\n')();
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).describe()).toMatch(/^lab\.yaml:5:\d+: invalid regex/);
    }
    expect(bad('    proof:\n      - description: x\n        file: {path: a}\n        exit_code: 0\n')).toThrow(/exactly one of/);
  });

  it('expands ${marker} and ${callback}; an unknown variable is an error', () => {
    expect(expand('${callback}/t2?m=${marker}', { callback: 'http://127.0.0.1:8765', marker: 'm' })).toBe('http://127.0.0.1:8765/t2?m=m');
    expect(() => expand('${nope}', {})).toThrow(/unknown variable/);
  });
});
