// Caller-supplied argument values reach the command as data, per executor's quoting rules
// (quoting.ts). POSIX shells are exercised for real with sh and bash; cmd.exe under Wine is in
// quoting.integration.test.ts; PowerShell is checked against about_Quoting_Rules only (spec-only:
// Wine's powershell.exe is a stub and no other PowerShell exists here).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { quoteContextAt, quoteValue } from '../../../harness/atomics/quoting.ts';
import { substitute } from '../../../harness/atomics/substitute.ts';
import { InputError } from '../../../harness/core/errors.ts';

const canary = `/tmp/atomic-lab-quoting-canary-${randomUUID()}`;
const NASTY = [
  `$(touch ${canary})`, `\`touch ${canary}\``, `a; touch ${canary}`, `a && touch ${canary} || b`, `a | cat > ${canary}`,
  `it's`, `say "hi"`, '$HOME and ${HOME}', 'back\\slash\\', '*', 'tab\there', 'new\nline', '', ' leading and trailing ', '!history', '#hash', '~',
];
const T = { id: 'T0-1', inputArguments: [{ name: 'v', description: 'v', type: 'string' as const, default: 'd' }] };

describe.each(['sh', 'bash'] as const)('%s: values reach printf as data (POSIX XCU 2.2)', (shell) => {
  it.each([
    ['unquoted', "printf '%s' #{v}"],
    ['inside double quotes', 'printf \'%s\' "#{v}"'],
    ['inside single quotes', "printf '%s' '#{v}'"],
    ['concatenated', "printf '%s' x#{v}y"],
  ])('%s', (_, template) => {
    for (const value of NASTY) {
      const script = substitute(template, T, { shell, atomicsFolder: '/x', overrides: { v: value } }).text;
      const out = execFileSync(shell, ['-c', script], { encoding: 'utf8' });
      const expected = template.includes('x#{v}y') ? `x${value}y` : value;
      expect(out, `${shell} ${script}`).toBe(expected);
    }
    expect(existsSync(canary)).toBe(false);
  });
});

describe('PowerShell quoting (about_Quoting_Rules; spec-only: no PowerShell here)', () => {
  it('inside single quotes a quote is doubled, typographic single quotes too', () => {
    expect(quoteValue("it's ‘x’", 'single', 'powershell')).toBe("it''s ‘‘x’’");
  });
  it('inside double quotes the backtick escapes $, `, " and typographic double quotes', () => {
    expect(quoteValue('$env:TEMP `x` "q" “t”', 'double', 'powershell')).toBe('`$env:TEMP ``x`` `"q`" `“t`”');
  });
  it('outside quotes a value with metacharacters becomes a single-quoted literal', () => {
    expect(quoteValue('a; Remove-Item x', 'none', 'powershell')).toBe("'a; Remove-Item x'");
    expect(quoteValue('C:\\plain\\path.txt', 'none', 'powershell')).toBe('C:\\plain\\path.txt');
  });
  it('knows the quoting state at a placeholder, with doubled quotes and backticks', () => {
    const text = `Write-Host 'it''s' "a \`" #{x}" #{y}`;
    expect(quoteContextAt(text, text.indexOf('#{x}'), 'powershell')).toBe('double');
    expect(quoteContextAt(text, text.indexOf('#{y}'), 'powershell')).toBe('none');
  });
});

describe('cmd.exe quoting (cmd /?, set /?: command-line mode)', () => {
  it('inside double quotes only % is special: written "%" so phase-1 expansion only sees undefined names like %"PATH"%', () => {
    expect(quoteValue('100% & %PATH%', 'double', 'command_prompt')).toBe('100"%" & "%"PATH"%"');
  });
  it('outside quotes a value with metacharacters is wrapped in double quotes', () => {
    expect(quoteValue('a & b | c > d', 'none', 'command_prompt')).toBe('"a & b | c > d"');
    expect(quoteValue('C:\\x\\y.msi', 'none', 'command_prompt')).toBe('C:\\x\\y.msi');
  });
  it('refuses a double quote or a line break: cmd.exe cannot carry them as data', () => {
    expect(() => quoteValue('say "hi"', 'none', 'command_prompt')).toThrow(InputError);
    expect(() => quoteValue('a\nb', 'double', 'command_prompt')).toThrow(/line break/);
  });
  it('tracks quote state with caret escapes outside quotes', () => {
    const text = 'echo ^"#{a} "#{b}"';
    expect(quoteContextAt(text, text.indexOf('#{a}'), 'command_prompt')).toBe('none');
    expect(quoteContextAt(text, text.indexOf('#{b}'), 'command_prompt')).toBe('double');
  });
});

describe('every shell', () => {
  it('refuses a NUL character (cannot be passed in argv)', () => {
    for (const s of ['sh', 'bash', 'powershell', 'command_prompt'] as const) expect(() => quoteValue('a\0b', 'none', s)).toThrow(/NUL/);
  });
});

describe('cmd.exe: backslashes before a quote (MSVCRT argv rules: 2n backslashes + quote = n backslashes)', () => {
  it('doubles trailing backslashes before the closing quote it adds, or before the template\'s own closing quote', () => {
    expect(quoteValue('C:\\dir with space\\', 'none', 'command_prompt')).toBe('"C:\\dir with space\\\\"');
    expect(quoteValue('C:\\dir\\', 'double', 'command_prompt', 'v', '"')).toBe('C:\\dir\\\\');
    expect(quoteValue('C:\\dir\\', 'double', 'command_prompt', 'v', 'x')).toBe('C:\\dir\\');
    expect(quoteValue('a\\%b', 'double', 'command_prompt')).toBe('a\\\\"%"b');
  });
});
