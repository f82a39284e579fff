// PCRE on RE2 (linear time): translations, the constructs rejected with their position, and the
// literal fast path agreeing with the regex ([REGEX], spl.md §2).
import { describe, expect, it } from 'vitest';
import { SplRegex, literalAlternation, translatePcre, RegexError } from '../../../../detections/engines/spl/regex.ts';
import { evalOn, ruleError } from './helpers.ts';

describe('PCRE translation', () => {
  it('inline (?i) makes the match case-insensitive ([REGEX] "inline (?i) works")', () => {
    expect(new SplRegex('(?i)msiexec').test('C:\\MsiExec.exe')).toBe(true);
    expect(new SplRegex('msiexec').test('C:\\MsiExec.exe')).toBe(false);
  });

  it('scoped (?i:...), (?s), (?m) and (?U) are kept', () => {
    expect(new SplRegex('(?i:A)b').test('ab')).toBe(true);
    expect(new SplRegex('(?i:A)b').test('aB')).toBe(false);
    expect(new SplRegex('(?s)a.b').test('a\nb')).toBe(true);
    expect(new SplRegex('(?m)^b$').test('a\nb')).toBe(true);
  });

  it('named groups in all PCRE spellings become RE2 groups', () => {
    for (const p of ['(?<u>\\w+)@', '(?P<u>\\w+)@', "(?'u'\\w+)@"]) {
      const re = new SplRegex(p);
      expect(re.exec('bob@x')?.groups?.u).toBe('bob');
      expect(re.groupNames()).toEqual(['u']);
    }
  });

  it('\\Z becomes \\z, \\h and \\v become PCRE\'s white-space classes, (?#...) comments vanish', () => {
    expect(translatePcre('a\\Z')).toBe('a\\z');
    expect(new SplRegex('a\\hb').test('a\tb')).toBe(true);
    expect(new SplRegex('a\\vb').test('a\nb')).toBe(true);
    expect(new SplRegex('a(?#comment)b').test('ab')).toBe(true);
  });

  it('\\Q...\\E and POSIX classes pass through', () => {
    expect(new SplRegex('\\Qa.b\\E').test('a.b')).toBe(true);
    expect(new SplRegex('\\Qa.b\\E').test('axb')).toBe(false);
    expect(new SplRegex('^[[:digit:]]+$').test('123')).toBe(true);
  });

  it('a catastrophic-backtracking pattern runs in linear time (RE2)', () => {
    const re = new SplRegex('(a+)+$');
    const start = process.hrtime.bigint();
    expect(re.test(`${'a'.repeat(50_000)}!`)).toBe(false);
    // no timing assertion (COMMON.md): finishing at all is the point; a backtracking engine would not
    expect(process.hrtime.bigint() > start).toBe(true);
  });
});

describe('constructs RE2 cannot run are rejected with their index', () => {
  const cases: [string, string, number][] = [
    ['a(?=b)', 'lookahead', 1],
    ['a(?!b)', 'lookahead', 1],
    ['(?<=a)b', 'lookbehind', 0],
    ['(?<!a)b', 'lookbehind', 0],
    ['(?>ab)', 'atomic group', 0],
    ['a*+', 'possessive', 1],
    ['a{2}+', 'possessive', 3],
    ['(a)\\1', 'backreference', 3],
    ['(?<n>a)\\k<n>', 'backreference', 7],
    ['(?R)', 'recursion', 0],
    ['(?(1)a|b)', 'conditional', 0],
    ['(?x) a b', 'extended mode', 0],
    ['\\Ga', '\\G', 0],
    ['a\\Kb', '\\K', 1],
  ];
  for (const [pattern, what, index] of cases) {
    it(`${pattern}: ${what} at ${index}`, () => {
      try {
        translatePcre(pattern);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(RegexError);
        expect((e as RegexError).message).toContain(what);
        expect((e as RegexError).index).toBe(index);
        expect((e as RegexError).unsupported).toBe(true);
      }
    });
  }
});

describe('regex errors in rules', () => {
  it('an unsupported construct in match() is a RuleError at the construct\'s line:column', () => {
    const e = ruleError('*\n| eval r=if(match(x, "ab(?=c)"), 1, 0)');
    expect(e.code).toBe('E_SPL_REGEX_UNSUPPORTED');
    expect(e.position).toMatchObject({ line: 2, column: 25 });
  });

  it('an invalid pattern is a RuleError too', () => {
    const e = ruleError('* | where match(x, "a(b")');
    expect(e.code).toBe('E_SPL_REGEX_SYNTAX');
    expect(e.message).toMatch(/missing \)|Invalid regular expression/);
  });

  it('a pattern built at run time that does not compile simply does not match', async () => {
    expect((await evalOn({ p: 'a(' }, 'r=if(match("a(", p), 1, 0)')).r).toBe('0');
  });
});

describe('literal fast path', () => {
  it('recognises pure literal alternations only', () => {
    expect(literalAlternation('(msiexec|installer|cmd\\.exe)')).toEqual(['msiexec', 'installer', 'cmd.exe']);
    expect(literalAlternation('curl\\s')).toBeUndefined();
    expect(literalAlternation('(?i)abc')).toBeUndefined();
    expect(literalAlternation('a|b.c')).toBeUndefined();
    expect(literalAlternation('a\\|b')).toBeUndefined();
  });

  it('gives the same answers as the regex', () => {
    const pattern = '(msiexec|installer|pkgutil|dpkg|rpm|chocolatey|winget)';
    const fast = new SplRegex(pattern);
    const slow = new SplRegex(`(?:${pattern})`);
    for (const s of ['c:\\windows\\system32\\msiexec.exe', '/usr/bin/dpkg', 'C:\\MSIEXEC.EXE', '', 'rpmbuild', 'winge']) {
      expect(fast.test(s)).toBe(slow.test(s));
    }
  });
});
