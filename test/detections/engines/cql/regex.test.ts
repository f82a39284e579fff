import { describe, expect, it } from 'vitest';
import { LsRegex } from '../../../../detections/engines/cql/regex/compile.ts';

const re = (p: string, flags = '', engine: 'v1' | 'v2' = 'v2') => new LsRegex(p, { flags, defaultEngine: engine });

describe('LogScale regex flags (cql.md §1.3, [FLAGS])', () => {
  it('C3: case-sensitive unless the i flag or an inline (?i)', () => {
    expect(re('cmd\\.exe').test('CMD.EXE')).toBe(false);
    expect(re('cmd\\.exe', 'i').test('CMD.EXE')).toBe(true);
    expect(re('(?i)cmd\\.exe').test('CMD.EXE')).toBe(true);
  });
  it('"Regular expressions are not anchored by default": /x/ finds x anywhere', () => {
    expect(re('login').test('/user/login/x')).toBe(true);
    expect(re('Turing$').test('Alan Turing')).toBe(true);
    expect(re('^Turing').test('Alan Turing')).toBe(false);
  });
  it('d: dot matches newline only with d ("No s flag (DOTALL is d)")', () => {
    expect(re('a.b').test('a\nb')).toBe(false);
    expect(re('a.b', 'd').test('a\nb')).toBe(true);
    expect(re('a(?s).b').test('a\nb')).toBe(true);
  });
  it('m: ^ and $ at line boundaries only with m', () => {
    expect(re('^b$').test('a\nb')).toBe(false);
    expect(re('^b$', 'm').test('a\nb')).toBe(true);
  });
  it('[JitRex]: a$ does not match "a\\n" (unlike java.util.regex)', () => {
    expect(re('a$').test('a\n')).toBe(false);
  });
  it('an unknown flag letter is rejected (LogScale flags are i m d F g)', () => {
    expect(() => re('x', 's')).toThrow(/unknown regex flag 's'/);
  });
  it('g: repeat extraction returns every match', () => {
    const m = re('(?<n>\\d+)', 'g').matches('a1 b22 c333');
    expect(m.map((x) => x.groups)).toEqual([[['n', '1']], [['n', '22']], [['n', '333']]]);
  });
});

describe('v1 (JitRex) and v2 engines (cql.md §7, [RXENG])', () => {
  it('C19: (?i)Huck[a-z]+|Saw[a-z]+ — the inline flag covers only the first branch in v1', () => {
    expect(re('(?i)Huck[a-z]+|Saw[a-z]+', '', 'v1').test('SAWYER')).toBe(false);
    expect(re('(?i)Huck[a-z]+|Saw[a-z]+', '', 'v1').test('HUCKLEBERRY')).toBe(true);
    expect(re('(?i)Huck[a-z]+|Saw[a-z]+', '', 'v2').test('SAWYER')).toBe(true);
  });
  it('the F flag selects v2 whatever the default', () => {
    expect(re('(?i)Huck[a-z]+|Saw[a-z]+', 'F', 'v1').test('SAWYER')).toBe(true);
  });
  it('C20: (?i)(Huck[a-z]+|Saw[a-z]+) matches SAWYER on both engines', () => {
    expect(re('(?i)(Huck[a-z]+|Saw[a-z]+)', '', 'v1').test('SAWYER')).toBe(true);
    expect(re('(?i)(Huck[a-z]+|Saw[a-z]+)', '', 'v2').test('SAWYER')).toBe(true);
  });
  it('[RXENG]: \\h and \\v are literal letters in v1', () => {
    expect(re('a\\hb', '', 'v1').test('ahb')).toBe(true);
  });
});

describe('LogScale regex syntax ([RXSYN]) and what it rejects ([RXUNS])', () => {
  it('(?P<name>…) and (?<name>…) name groups; names may contain # and @', () => {
    expect(re('(?P<a>x)(?<b#c@d>y)').matches('xy')[0]!.groups).toEqual([['a', 'x'], ['b#c@d', 'y']]);
  });
  it('\\Q…\\E quotes metacharacters', () => {
    expect(re('\\Qa.b*\\E').test('a.b*')).toBe(true);
    expect(re('\\Qa.b*\\E').test('axbb')).toBe(false);
  });
  it('escapes \\x41 \\u0041 \\t and classes \\d \\s \\w', () => {
    expect(re('\\x41\\u0042\\t\\d\\s\\w').test('AB\t1 z')).toBe(true);
  });
  it.each([
    ['a+?', /X\+\? is not supported/],
    ['(?<=a)b', /lookbehind is not supported/],
    ['\\p{L}', /Unicode property classes/],
    ['[[:alpha:]]', /POSIX character classes/],
    ['a++', /possessive quantifiers/],
    ['\\k<x>', /named back-references/],
    ['(a)\\1', /back-references/],
    ['\\R', /\\R is not supported/],
    ['(a', /missing '\)'/],
    ['*a', /nothing to repeat/],
  ])('rejects %s with a clear reason', (p, msg) => {
    expect(() => re(p, '', 'v1')).toThrow(msg);
  });
  it('v2 accepts the lazy X+? that v1 rejects', () => {
    expect(re('a+?b', '', 'v2').test('aab')).toBe(true);
  });
  it('lookahead (?=X) and (?!X) are supported ([RXSYN])', () => {
    expect(re('foo(?!bar)').test('foobaz')).toBe(true);
    expect(re('foo(?!bar)').test('foobar')).toBe(false);
  });
});

describe('no rule can hang a run (linear-time RE2 for patterns without a bounded worst case)', () => {
  it('a catastrophic pattern over a long input finishes (RE2 is linear)', () => {
    const r = re('(x+x+)+y', 'i');
    expect(r.test('x'.repeat(50_000))).toBe(false);
  });
  it('nested quantifiers with extraction still give the captures', () => {
    expect(re('(?<w>(ab)+)c').matches('xxababc')[0]!.groups).toContainEqual(['w', 'abab']);
  });
  it('lookahead combined with unbounded repetition is refused (this lab cannot bound it)', () => {
    expect(() => re('(?=a)(a+)+$')).toThrow(/lookahead/);
  });
  it('the same answers from V8 and RE2 on a long input (one unbounded repetition switches engines past 4,096 chars)', () => {
    const r = re('(?i)curl\\s.*https?://');
    const long = 'curl ' + 'x'.repeat(5000) + ' HTTP://a';
    expect(r.test(long)).toBe(true);
    expect(r.test('curl http://a')).toBe(true);
    expect(r.test('curl x\nhttp://a\n'.repeat(1000))).toBe(false);
  });
});

describe('seed regexes agree with JitRex (cql.md vectors C21–C24)', () => {
  const parent = re('(?i)(msiexec\\.exe|installer|pkgutil|dpkg|rpm|yum|apt-get|apt|chocolatey|winget)');
  it('C21: unanchored "apt" keeps adapter.exe, "Installer" keeps AppInstallerCLI.exe, the escaped dot drops msiexecXexe', () => {
    expect(parent.test('adapter.exe')).toBe(true);
    expect(parent.test('AppInstallerCLI.exe')).toBe(true);
    expect(parent.test('msiexecXexe')).toBe(false);
  });
  it('C22: "sh" keeps ShellExperienceHost.exe; notepad.exe is dropped', () => {
    const child = re('(?i)(powershell\\.exe|pwsh\\.exe|cmd\\.exe|wscript\\.exe|cscript\\.exe|mshta\\.exe|certutil\\.exe|bitsadmin\\.exe|bash|sh|python)');
    expect(child.test('ShellExperienceHost.exe')).toBe(true);
    expect(child.test('notepad.exe')).toBe(false);
  });
  it('C23: the bounded gap .{0,20} is strict', () => {
    const r = re('(?i)(certutil.{0,20}urlcache)');
    expect(r.test('certutil.exe -f -split -verifyctl -urlcache http://x')).toBe(false);
    expect(r.test('certutil.exe -urlcache -split -f http://x/a.exe a.exe')).toBe(true);
  });
  it('C24: the private-range regex', () => {
    const r = re('^(10\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.|127\\.|::1)');
    expect(r.test('172.32.0.1')).toBe(false);
    expect(r.test('172.31.255.1')).toBe(true);
    expect(r.test('100.64.0.1')).toBe(false);
  });
});
