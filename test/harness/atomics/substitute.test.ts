// #{argument} substitution (Invoke-AtomicRedTeam Private/Replace-InputArgs.ps1; reference/atomics.md §2).
import { describe, expect, it } from 'vitest';
import type { InputArgument } from '../../../harness/atomics/model.ts';
import { substitute } from '../../../harness/atomics/substitute.ts';
import { InputError } from '../../../harness/core/errors.ts';

const arg = (name: string, def: string | number | null): InputArgument => ({ name, description: name, type: 'string', default: def });
const test = (...inputArguments: InputArgument[]) => ({ id: 'T0-1', inputArguments });

describe('substitute', () => {
  it('resolves a default that names another argument whatever the order (§2.2: T1055.011 exe_binary contains #{arch})', () => {
    const t = test(arg('exe_binary', 'PathToAtomicsFolder/bin/tool_#{arch}.bin'), arg('arch', 'x64'));
    expect(substitute('run #{exe_binary}', t, { shell: 'sh', atomicsFolder: '/opt/AtomicRedTeam/atomics' }).text)
      .toBe('run /opt/AtomicRedTeam/atomics/bin/tool_x64.bin');
  });

  it('replaces $PathToAtomicsFolder and the bare word PathToAtomicsFolder (§2.3)', () => {
    const r = substitute('$PathToAtomicsFolder\\a PathToAtomicsFolder\\..\\ExternalPayloads\\b', test(), { shell: 'command_prompt', atomicsFolder: 'C:\\AtomicRedTeam\\atomics' });
    expect(r.text).toBe('C:\\AtomicRedTeam\\atomics\\a C:\\AtomicRedTeam\\atomics\\..\\ExternalPayloads\\b');
  });

  it('a null default becomes the empty string, integers their decimal text', () => {
    expect(substitute('[#{a}][#{b}]', test(arg('a', null), arg('b', 42)), { shell: 'sh', atomicsFolder: '/x' }).text).toBe('[][42]');
  });

  it('reports a cycle between defaults as an input error naming the arguments', () => {
    const t = test(arg('a', '#{b}'), arg('b', '#{a}'));
    expect(() => substitute('#{a}', t, { shell: 'sh', atomicsFolder: '/x' })).toThrow(InputError);
    expect(() => substitute('#{a}', t, { shell: 'sh', atomicsFolder: '/x' })).toThrow(/cycle: a|cycle: b/);
  });

  it('reports placeholders the test does not declare, leaving them in place', () => {
    const r = substitute('echo #{nope}', test(), { shell: 'sh', atomicsFolder: '/x' });
    expect(r).toEqual({ text: 'echo #{nope}', unresolved: ['nope'] });
  });

  it('inserts overrides quoted and last: their text is never re-scanned for placeholders or PathToAtomicsFolder', () => {
    const t = test(arg('msg', 'default'), arg('other', 'OTHER'));
    const r = substitute('echo #{msg}', t, { shell: 'sh', atomicsFolder: '/x', overrides: { msg: '#{other} PathToAtomicsFolder' } });
    expect(r.text).toBe("echo '#{other} PathToAtomicsFolder'");
  });

  it('ignores overrides for arguments the test does not declare (Invoke-AtomicRedTeam: unknown InputArgs keys are ignored)', () => {
    expect(substitute('x', test(), { shell: 'sh', atomicsFolder: '/x', overrides: { nope: 'v' } }).text).toBe('x');
  });
});
