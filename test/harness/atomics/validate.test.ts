// The upstream validator's rules (redcanaryco/atomic-red-team atomic_red_team/models.py and
// validator.py; reference/atomics.md §1.4): each hand-made fixture breaks exactly one rule and must
// be reported with that rule's pydantic error type and the position of the offending node.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTechniqueFile } from '../../../harness/atomics/load.ts';
import { InputError } from '../../../harness/core/errors.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

const INVALID = path.join(REPO_ROOT, 'test/fixtures/atomics/invalid');
const findings = (name: string) => loadTechniqueFile(path.join(INVALID, name)).findings;

describe('upstream validator rules, one fixture per rule (test_data names)', () => {
  it.each([
    ['extra_forbidden.yaml', 'extra_forbidden', 5, 3], // Atomic has extra="forbid": the unknown key itself
    ['unused_input_argument.yaml', 'unused_input_argument', 8, 5], // every declared argument must appear in a command
    ['missing_input_argument.yaml', 'missing_input_argument', 7, 3], // every #{placeholder} must be declared
    ['elevation_required_but_not_provided.yaml', 'elevation_required_but_not_provided', 7, 3], // linux + sudo needs elevation_required
    ['empty_dependency_executor_name.yaml', 'empty_dependency_executor_name', 7, 3], // present but empty
    ['invalid_dependency_executor_name.yaml', 'invalid_dependency_executor_name', 7, 3], // set without dependencies
    ['empty_input_arguments.yaml', 'empty_input_arguments', 7, 3], // explicit null input_arguments
    ['float_type.yaml', 'float_type', 11, 7], // FloatArg default is StrictFloat
    ['int_parsing.yaml', 'int_parsing', 11, 7], // IntArg default text that is not an integer
    ['url_parsing.yaml', 'url_parsing', 11, 7], // UrlArg default: domain, URL with scheme or IP
    ['string_pattern_mismatch.yaml', 'string_pattern_mismatch', 1, 1], // attack_technique must contain T\d{4}
    ['string_too_short.yaml', 'string_too_short', 2, 1], // display_name min_length=5
  ])('%s → %s at line %i', (file, code, line, column) => {
    const f = findings(file);
    expect(f.map((x) => x.code)).toEqual([code]);
    expect(f[0]!.position).toMatchObject({ line, column });
  });

  it('a YAML syntax error is an InputError with file:line:column (exit 2)', () => {
    try {
      loadTechniqueFile(path.join(INVALID, 'yaml_syntax.yaml'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).exitCode).toBe(2);
      expect((e as InputError).describe()).toMatch(/yaml_syntax\.yaml:6:1: Missing closing "quote/);
    }
  });
});

describe('the model built from a valid file', () => {
  const { technique, findings: f } = loadTechniqueFile(path.join(REPO_ROOT, 'test/fixtures/atomics/valid/T0001.001/T0001.001.yaml'));

  it('has no findings and numbers tests from 1 (test_number = <TID>-<index+1>)', () => {
    expect(f).toEqual([]);
    expect(technique!.tests.map((t) => t.id)).toEqual(['T0001.001-1', 'T0001.001-2', 'T0001.001-3', 'T0001.001-4', 'T0001.001-5']);
  });

  it('keeps every executor kind, cleanup, dependencies and the dependency executor', () => {
    const [cmd, ps, sh, bash, manual] = technique!.tests;
    expect(cmd!.executor).toMatchObject({ name: 'command_prompt', cleanupCommand: 'del /f /q "#{output_file}" >nul 2>&1', elevationRequired: false });
    expect(cmd!.dependencyExecutorName).toBe('powershell');
    expect(cmd!.dependencies[0]!.prereqCommand).toContain('Test-Path');
    expect(ps!.executor.name).toBe('powershell');
    expect(sh!.executor).toMatchObject({ name: 'sh', elevationRequired: true });
    expect(bash!.guid).toBeNull();
    expect(bash!.dependencies[0]!.getPrereqCommand).toBeNull(); // the key is required, its value may be null
    expect(manual!.executor).toMatchObject({ name: 'manual' });
  });

  it('keeps argument defaults with their YAML types (integer, float, null)', () => {
    const args = Object.fromEntries(technique!.tests[0]!.inputArguments.map((a) => [a.name, a.default]));
    expect(args).toEqual({ output_file: '%TEMP%\\fixture.txt', count: 3, ratio: 0.5, server: 'https://example.org/payload', host_name: 'example.org' });
  });
});
