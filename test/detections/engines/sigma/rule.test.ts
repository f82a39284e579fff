import { describe, expect, it } from 'vitest';
import { sigmaEngine } from '../../../../detections/engines/sigma/index.ts';
import { ID, compileError, rule, ruleText } from './helpers.ts';

// Spec, "Detection": maps are AND, lists are OR, lists of plain values are keyword searches.
describe('detection structure', () => {
  it('"a map is a logical AND of its items"', () => {
    const r = rule(`    sel:\n        A: 'x'\n        B: 'y'\n    condition: sel`);
    expect(r.matches({ A: 'x', B: 'y' })).toBe(true);
    expect(r.matches({ A: 'x', B: 'z' })).toBe(false);
  });
  it('"a list of maps is a logical OR of the maps"', () => {
    const r = rule(`    sel:\n        - A: 'x'\n        - B: 'y'\n    condition: sel`);
    expect(r.matches({ A: '-', B: 'y' })).toBe(true);
    expect(r.matches({ A: '-', B: '-' })).toBe(false);
  });
  it('"a list of plain values is a keyword search" over every value of the event, OR-ed', () => {
    const r = rule(`    keywords:\n        - 'history -c'\n        - 'shred *sh_history'\n    condition: keywords`);
    expect(r.matches({ msg: 'user ran HISTORY -c now' })).toBe(true);
    expect(r.matches({ a: 'x', b: 'shred ~/.bash_history' })).toBe(true);
    expect(r.matches({ msg: 'nothing' })).toBe(false);
  });
  it("\"'|all' with a list of keywords ANDs them\"", () => {
    const r = rule(`    keywords:\n        '|all':\n            - 'bash -c'\n            - '/dev/tcp/'\n    condition: keywords`);
    expect(r.matches({ a: 'bash -c x', b: '>&/dev/tcp/1.2.3.4/80' })).toBe(true);
    expect(r.matches({ a: 'bash -c x' })).toBe(false);
  });
  it('numeric keywords search for their text', () => {
    const r = rule(`    k:\n        - 0\n        - 6\n    condition: k`);
    expect(r.matches({ a0: 'init', a1: '6' })).toBe(true);
  });
});

describe('rule documents and errors', () => {
  it('"title, logsource and detection are required", reported at the document', () => {
    const e = compileError(`id: ${ID}\nlogsource: {}\ndetection:\n    s:\n        A: 1\n    condition: s\n`);
    expect(e.describe()).toBe("bad.yml:1:1: missing required field 'title'");
  });
  it('"id: a UUID"; "level": one of the five levels; "status": one of the five', () => {
    expect(compileError(ruleText(`    s:\n        A: 1\n    condition: s`).replace(ID, 'not-a-uuid')).message).toMatch(/'id' must be a UUID/);
    expect(compileError(ruleText(`    s:\n        A: 1\n    condition: s`) + 'level: urgent\n').message).toMatch(/'level' must be one of/);
    expect(compileError(ruleText(`    s:\n        A: 1\n    condition: s`) + 'status: beta\n').message).toMatch(/'status' must be one of/);
  });
  it('a YAML syntax error names line and column', () => {
    const e = compileError('title: x\ndetection: [unclosed\n');
    expect(e.code).toBe('E_SIGMA_YAML');
    expect(e.position?.line).toBeGreaterThanOrEqual(2);
  });
  it('extra top-level keys are allowed (detection_type is read as metadata)', () => {
    const r = sigmaEngine.compile(ruleText(`    s:\n        A: 1\n    condition: s`) + 'detection_type: INSTALLER_SCRIPT_CHILD\nsimulation: {}\n', { file: 'x.yml' });
    expect(r.detectionType).toBe('INSTALLER_SCRIPT_CHILD');
  });
  it('"correlation rules" are parsed and rejected as unsupported, with their type', () => {
    const text = `title: many failures\ncorrelation:\n    type: event_count\n    rules: [${ID}]\n    group-by: [User]\n    timespan: 5m\n    condition: {gte: 10}\n`;
    const e = compileError(text);
    expect(e.code).toBe('E_SIGMA_UNSUPPORTED');
    expect(e.message).toMatch(/correlation rules \(type event_count\) are not evaluated/);
    expect(e.position).toMatchObject({ line: 1, column: 1 });
  });
  it('"filters" (meta rules) naming the rule are AND-ed with its condition', () => {
    const base = ruleText(`    s:\n        Image|endswith: '\\\\cmd.exe'\n    condition: s`, '{product: windows}');
    const filter = `title: not on DCs\nlogsource: {product: windows}\nfilter:\n    rules: [${ID}]\n    dc:\n        Computer|startswith: 'DC'\n    condition: not dc\n`;
    const r = sigmaEngine.compile(base + '---\n' + filter, { file: 'x.yml' });
    expect(r.filters).toHaveLength(1);
    expect(r.matches({ Image: 'C:\\cmd.exe', Computer: 'WS1' })).toBe(true);
    expect(r.matches({ Image: 'C:\\cmd.exe', Computer: 'DC1' })).toBe(false);
    const other = filter.replace(ID, '99999999-2222-4333-8444-555555555555');
    expect(sigmaEngine.compile(base + '---\n' + other, { file: 'x.yml' }).filters).toHaveLength(0);
  });
});

describe('result rows', () => {
  it('"a row is a matching event, as given, plus sigma.rule_id and sigma.title", every value a string', async () => {
    const r = rule(`    s:\n        EventID: 1\n    condition: s`);
    const rows = [];
    for await (const row of r.evaluate([{ EventID: 1, Multi: ['a', 2], Gone: null }, { EventID: 2 }])) rows.push(row);
    expect(rows).toEqual([{ EventID: '1', Multi: ['a', '2'], 'sigma.rule_id': ID, 'sigma.title': 'unit test rule' }]);
  });
});
