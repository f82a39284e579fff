// Rules Splunk would reject are rejected with Splunk's reason and the user's line:column
// (CONTRACTS.md: exit 2 — RuleError has exitCode 2).
import { describe, expect, it } from 'vitest';
import { ruleError } from './helpers.ts';

describe('rule errors with positions', () => {
  it('an unknown command: "Unknown search command \'foo\'." at the command', () => {
    const e = ruleError('index=x\n| foo bar');
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe('E_SPL_UNKNOWN_COMMAND');
    expect(e.message).toBe("Unknown search command 'foo'.");
    expect(e.position).toMatchObject({ file: 'rule.spl', line: 2, column: 3 });
  });

  it('a real Splunk command the lab does not run is "unsupported", not unknown', () => {
    const e = ruleError('| tstats count where index=x');
    expect(e.code).toBe('E_SPL_UNSUPPORTED');
    expect(e.message).toContain("'tstats' command is not supported");
  });

  it('an unknown function: "The \'foo\' function is unsupported or undefined." at the call', () => {
    const e = ruleError('*\n| eval x=lower(foo(a))');
    expect(e.code).toBe('E_SPL_UNKNOWN_FUNCTION');
    expect(e.message).toBe("The 'foo' function is unsupported or undefined.");
    expect(e.position).toMatchObject({ line: 2, column: 16 });
  });

  it('a wrong number of arguments: "The arguments to the \'if\' function are invalid."', () => {
    expect(ruleError('* | eval x=if(a=1, 2)').message).toBe("The arguments to the 'if' function are invalid.");
  });

  it('a Boolean assigned by eval is rejected ([EVAL] "cannot be a Boolean")', () => {
    const e = ruleError('* | eval x=(a=1)');
    expect(e.code).toBe('E_SPL_TYPECHECK');
    expect(e.message).toContain('Fields cannot be assigned a boolean result');
  });

  it('type errors of literals: "\'*\' only takes numbers", "\'AND\' only takes boolean arguments"', () => {
    expect(ruleError('* | eval x="a" * 2').message).toContain("'*' only takes numbers.");
    expect(ruleError('* | where x=1 AND "a"').message).toContain("'AND' only takes boolean arguments.");
    expect(ruleError('* | where 1 + 2').message).toContain('must be Boolean');
    expect(ruleError('* | eval x=if("a", 1, 2)').message).toContain('requires a Boolean');
  });

  it('syntax errors in expressions point at the offending token', () => {
    const e = ruleError('* | eval x=(1 + 2');
    expect(e.code).toBe('E_SPL_SYNTAX');
    expect(e.message).toContain('Expected )');
    const f = ruleError('* | where a = = b');
    expect(f.message).toContain("unexpected character is reached at '='");
    expect(f.position).toMatchObject({ line: 1, column: 15 });
  });

  it('unbalanced quotes and parentheses in the search command', () => {
    expect(ruleError('index=x "abc').message).toBe('Unbalanced quotes.');
    expect(ruleError('index=x (a OR b').message).toBe('Unbalanced parentheses.');
    expect(ruleError('index=x a OR').message).toContain("after 'OR'");
  });

  it('an empty command between pipes: "Missing a search command before \'|\'."', () => {
    const e = ruleError('index=x | | table a');
    expect(e.message).toBe("Missing a search command before '|'.");
    expect(e.position).toMatchObject({ line: 1, column: 9 });
  });

  it('subsearches are reported as unsupported', () => {
    expect(ruleError('index=x [search index=y | fields host]').code).toBe('E_SPL_UNSUPPORTED');
  });

  it('an unterminated ``` comment is a syntax error at its start', () => {
    const e = ruleError('index=x\n```no end');
    expect(e.message).toContain('Unterminated comment');
    expect(e.position).toMatchObject({ line: 2, column: 1 });
  });

  it('a field name starting with a digit must be quoted ([WHERE])', () => {
    expect(ruleError('* | where 5minutes="late"').message).toContain("put it in single quotes");
  });

  it('a bad setting value is a RuleError naming the setting', () => {
    expect(ruleError('*', { settings: { 'null-not': 'maybe' } }).message).toContain('null-not=maybe');
  });
});

describe('several errors and analysis of a rule that does not compile', () => {
  it('one RuleError carries the first error of every failing command (collect-all-errors mode)', () => {
    const e = ruleError('index=x\n| eval a=nosuch(1)\n| foo\n| where match(b, "(?=x)")');
    expect(e.all().map((x) => `${x.position?.line}:${x.position?.column} ${x.code}`)).toEqual([
      '2:10 E_SPL_UNKNOWN_FUNCTION',
      '3:3 E_SPL_UNKNOWN_COMMAND',
      '4:19 E_SPL_REGEX_UNSUPPORTED',
    ]);
  });

  it('analyze() explains the commands that compile and lists the errors as error lints', async () => {
    const { splEngine } = await import('../../../../detections/engines/spl/index.ts');
    const x = splEngine.analyze!('index=x sourcetype="WinEventLog:Security"\n| foo\n| sort a', { file: 'rule.spl' });
    expect(x.stages.map((s) => s.name)).toEqual(['search', 'foo', 'sort']);
    expect(x.lints.map((l) => `${l.severity} ${l.code}`)).toEqual(['error E_SPL_UNKNOWN_COMMAND', 'warning SPL_LEGACY_SOURCETYPE', 'warning SPL_SORT_DEFAULT_LIMIT']);
  });
});
