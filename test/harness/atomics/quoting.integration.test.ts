// Argument values with shell metacharacters reach the command as data, through the real executors:
// cmd.exe under Wine (values land in reg.exe's argv and are read back with reg query) and sh/bash
// in the Linux sandbox (printf). Canary files prove no metacharacter ran as code.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AtomicTest, InputArgument } from '../../../harness/atomics/model.ts';
import { substitute } from '../../../harness/atomics/substitute.ts';
import { atomicsFolderFor, LabSession } from '../../../harness/targets/lab-session.ts';
import { ATOMICS, ensureLab } from '../targets/lab-ready.ts';

const CMD_VALUES = [
  'a & echo pwned> C:\\pwned1.txt', 'a | find x', 'a > C:\\pwned2.txt', '(paren) ^caret^', '%WINDIR% and 100%',
  'semi;colon,comma=equals', '  spaces  ', 'C:\\dir with space\\', 'a\\%b', '<angle>', '!bang',
];
const POSIX_VALUES = ['$(touch /tmp/pwned3)', '`touch /tmp/pwned4`', "it's", 'say "hi"', '$HOME ${HOME}', 'a; touch /tmp/pwned5', 'x\\', '*', 'new\nline', ''];

function fakeTest(values: string[]): Pick<AtomicTest, 'id' | 'inputArguments'> {
  return { id: 'quoting', inputArguments: values.map((_, i): InputArgument => ({ name: `v${i}`, description: 'v', type: 'string', default: 'x' })) };
}
const overrides = (values: string[]) => Object.fromEntries(values.map((v, i) => [`v${i}`, v]));

let lab: LabSession;
let work: string;
beforeAll(async () => {
  const { prefix } = await ensureLab();
  work = mkdtempSync(path.join(tmpdir(), 'atomic-lab-quoting-'));
  lab = await LabSession.start({ workDir: work, atomicsDir: ATOMICS, marker: randomUUID(), payloads: 'cow', listener: false, hostname: 'atomic-lab-wine', wine: { prefix } });
});
afterAll(async () => {
  await lab?.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('cmd.exe under Wine (command-line mode; MSVCRT argv parsing in reg.exe)', () => {
  it.each([
    ['unquoted placeholder', (i: number) => `reg add HKCU\\Software\\AtomicLabQuoting /v V${i} /d #{v${i}} /f >nul`],
    ['placeholder inside the template\'s double quotes', (i: number) => `reg add HKCU\\Software\\AtomicLabQuoting /v V${i} /d "#{v${i}}" /f >nul`],
  ])('%s', async (_, line) => {
    const values = CMD_VALUES.filter((v) => !v.includes('!')); // Wine 8's cmd expands ! in the runner (lab-session.ts): refused instead
    const script = [...values.map((_, i) => line(i)), 'reg query HKCU\\Software\\AtomicLabQuoting'].join('\n');
    const cmd = substitute(script, fakeTest(values), { shell: 'command_prompt', atomicsFolder: atomicsFolderFor('command_prompt'), overrides: overrides(values) }).text;
    const { result } = await lab.run('command_prompt', cmd, { name: 'cmd-quoting', timeoutMs: 120_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    values.forEach((v, i) => {
      const row = result.stdout.split(/\r?\n/).find((l) => l.trim().startsWith(`V${i} `));
      expect(row, `V${i} = ${JSON.stringify(v)} in:\n${result.stdout}`).toBeDefined();
      expect(row!.replace(/^\s*V\d+\s+REG_SZ\s{4}/, ''), `value ${i}`).toBe(v);
    });
    for (const f of ['pwned1.txt', 'pwned2.txt']) expect(lab.fs.exists(path.posix.join(lab.options.wine!.prefix, 'drive_c', f))).toBe(false);
  });

  it("a command line containing '!' is refused under Wine, not run mangled", async () => {
    const { result } = await lab.run('command_prompt', 'echo !bang!', { name: 'bang', timeoutMs: 30_000 });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/contains '!'/);
  });
});

describe.each(['sh', 'bash'] as const)('%s in the sandbox', (shell) => {
  it('values reach printf as data, unquoted and inside either quote', async () => {
    const script = POSIX_VALUES.map((_, i) => `printf '<%s>\\n' #{v${i}} "#{v${i}}" '#{v${i}}'`).join('\n');
    const cmd = substitute(script, fakeTest(POSIX_VALUES), { shell, atomicsFolder: atomicsFolderFor(shell), overrides: overrides(POSIX_VALUES) }).text;
    const { result } = await lab.run(shell, cmd, { name: `${shell}-quoting`, timeoutMs: 30_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(POSIX_VALUES.map((v) => `<${v}>\n`.repeat(3)).join(''));
    for (const n of [3, 4, 5]) expect(lab.fs.exists(`/tmp/pwned${n}`)).toBe(false);
  });
});
