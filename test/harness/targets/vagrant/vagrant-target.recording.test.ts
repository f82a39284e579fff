// The vagrant target against RECORDED vagrant transcripts (mocks: no Windows VM can run here).
// Each transcript pins the exact command sequence (test/fixtures/vagrant/*.transcript.yaml); the
// results folder the Windows runner would leave is hand-made in its formats and goes through the
// same event-XML parser, proofs and signal checks as every other target.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtomicsStrict } from '../../../../harness/atomics/load.ts';
import { isAtomicLabError } from '../../../../harness/core/errors.ts';
import { defaultTarget } from '../../../../harness/lab-config/load.ts';
import type { VagrantTargetConfig } from '../../../../harness/lab-config/types.ts';
import { checkSignal } from '../../../../harness/run/checks.ts';
import { expandAll, loadLabSpecs } from '../../../../harness/run/lab-spec.ts';
import { EventIndex } from '../../../../harness/run/match.ts';
import { CALLBACK_BASE } from '../../../../harness/targets/lab-session.ts';
import { VagrantTarget } from '../../../../harness/targets/vagrant/index.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';
import { loadTranscript, tarBase64 } from './transcript.ts';

const FIX = path.join(REPO_ROOT, 'test/fixtures/vagrant');
const MARKER = 'd1b5a6f0-3c2e-4a7b-9f10-2b3c4d5e6f70';
const test3 = () => loadAtomicsStrict(path.join(REPO_ROOT, 'atomics'))[0]!.tests.find((t) => t.number === 3)!;
const spec3 = () => loadLabSpecs(path.join(REPO_ROOT, 'atomics')).get(test3().guid!)!;

describe('vagrant target, Windows machine (recorded transcripts: mock, no Windows VM here)', () => {
  let work: string;
  let savedCache: string | undefined;
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-vagrant-test-'));
    savedCache = process.env.ATOMIC_LAB_CACHE;
    // the host payload cache, as test 3's prerequisite (wixl) would have left it
    process.env.ATOMIC_LAB_CACHE = path.join(work, 'cache');
    const payloads = path.join(work, 'cache', 'ExternalPayloads', 'T1546.016');
    mkdirSync(path.join(payloads, 'venv', 'bin'), { recursive: true });
    writeFileSync(path.join(payloads, 't3_cmd_custom_action.msi'), 'stand-in bytes for the MSI built by wixl');
  });
  afterAll(() => {
    if (savedCache === undefined) delete process.env.ATOMIC_LAB_CACHE;
    else process.env.ATOMIC_LAB_CACHE = savedCache;
    rmSync(work, { recursive: true, force: true });
  });
  const config = (): VagrantTargetConfig => ({ ...(defaultTarget('vagrant') as VagrantTargetConfig), vagrantfileDir: REPO_ROOT });
  const ctx = (name: string) => ({ marker: MARKER, callbackBase: CALLBACK_BASE, spec: spec3(), workDir: path.join(work, name) });

  it('T1546.016-3: status, snapshot restore, licence probe, one upload, elevated runner, results, status, restore; events through the XML parser', async () => {
    const staged: string[] = [];
    const t = loadTranscript(path.join(FIX, 'windows-test3.transcript.yaml'),
      { MARKER, OUT_TAR_B64: await tarBase64(path.join(FIX, 'windows-test3-out')) },
      (dir) => {
        // what is uploaded: the job, the technique folder from the repo, the host-built MSI (files only)
        const job = JSON.parse(readFileSync(path.join(dir, 'job', 'job.json'), 'utf8')) as Record<string, unknown>;
        expect(job).toMatchObject({
          runId: MARKER, executor: 'command_prompt', timeoutSec: 120, dependencies: [], listenerPort: 8765,
          command: `msiexec.exe /i "C:\\atomic-lab\\runs\\${MARKER}\\atomics\\..\\ExternalPayloads\\T1546.016\\t3_cmd_custom_action.msi" /qn RUN_MARKER=${MARKER}\n`,
          channels: ['Microsoft-Windows-Sysmon/Operational', 'Security', 'Application'],
          collect: ['C:\\custom_action_test.txt', 'C:\\Windows\\Temp\\atomic-lab-hook.log'],
        });
        expect(existsSync(path.join(dir, 'job', 'run-atomic.ps1'))).toBe(true);
        expect(existsSync(path.join(dir, 'atomics', 'T1546.016', 'T1546.016.yaml'))).toBe(true);
        expect(readFileSync(path.join(dir, 'ExternalPayloads', 'T1546.016', 't3_cmd_custom_action.msi'), 'utf8')).toMatch(/^stand-in/);
        expect(existsSync(path.join(dir, 'ExternalPayloads', 'T1546.016', 'venv'))).toBe(false);
        staged.push(dir);
      });
    const target = new VagrantTarget(config(), t.runner);
    const test = test3();
    expect(target.unsupported(test)).toBeUndefined();
    const p = await target.prepare(test, ctx('t3'));
    expect(t.calls).toEqual([]);   // nothing touches the VM before execute
    const exec = await target.execute(p, { timeoutMs: 120_000 });
    expect(staged).toHaveLength(1);
    expect(exec).toMatchObject({ exitCode: 0, failed: false, timedOut: false, started: '2026-01-15T10:00:00.120Z', finished: '2026-01-15T10:00:03.410Z' });
    expect(exec.command).toBe(`cmd.exe /c "msiexec.exe /i "C:\\atomic-lab\\runs\\${MARKER}\\atomics\\..\\ExternalPayloads\\T1546.016\\t3_cmd_custom_action.msi" /qn RUN_MARKER=${MARKER}"`);

    const collected = await target.collect(p);
    expect(collected.raw.map((r) => [path.basename(r.path), r.format, r.sensor])).toEqual([
      ['sysmon.xml', 'event-xml', 'Microsoft-Windows-Sysmon/Operational'],
      ['security.xml', 'event-xml', 'Security'],
      ['application.xml', 'event-xml', 'Application'],
      ['callbacks.jsonl', 'callbacks-jsonl', 'listener'],
      ['C%3A%5Ccustom_action_test.txt', 'text', 'file:C:\\custom_action_test.txt'],
    ]);
    expect(collected.events.map((e) => e.kind)).toEqual([
      'process_creation', 'process_creation', 'process_creation', 'file_event', 'process_creation', 'process_creation', 'file_event',
      'process_creation', 'process_creation', 'process_creation', 'installer', 'installer', 'installer', 'installer',
    ]);
    expect(collected.readFile('c:\\CUSTOM_ACTION_TEST.TXT')?.trim()).toBe(MARKER);
    expect(collected.warnings).toEqual([]);
    // the lab data's expected signals hold on these events, including the MsiInstaller entries
    const vars = { marker: MARKER, callback: CALLBACK_BASE };
    const sctx = { target: 'vagrant' as const, marker: MARKER, index: new EventIndex(collected.events), callbacks: collected.callbacks, readFile: collected.readFile, customActions: [], stubs: [], exitCode: exec.exitCode };
    const signals = expandAll(spec3().signals, vars).map((s) => checkSignal(s, sctx));
    expect(signals.map((s) => [s.description, s.found])).toEqual([
      ['Process creation for msiexec.exe or cmd.exe spawned from installer context', true],
      ['File creation for custom_action_test.txt', true],
      ['Windows Installer Application event log entries for custom action execution', true],
    ]);

    expect(await target.cleanup(p)).toMatchObject({ exitCode: 0, command: 'cmd.exe /c "msiexec.exe /x "C:\\atomic-lab\\runs\\' + MARKER + '\\atomics\\..\\ExternalPayloads\\T1546.016\\t3_cmd_custom_action.msi" /qn & del /f /q C:\\custom_action_test.txt"' });
    await target.dispose(p);
    expect(t.remaining()).toBe(0);
    expect(t.calls.map((c) => c.slice(1, 3).join(' '))).toEqual([
      'status win10', 'snapshot list', 'snapshot restore', 'winrm win10', 'upload --compress', 'winrm win10', 'winrm win10', 'status win10', 'snapshot restore',
    ]);
  });

  it('an expired evaluation box is a lab error (exit 3) before anything is uploaded, and the snapshot is still restored', async () => {
    const t = loadTranscript(path.join(FIX, 'windows-eval-expired.transcript.yaml'), { MARKER });
    const target = new VagrantTarget(config(), t.runner);
    const p = await target.prepare(test3(), ctx('expired'));
    const err = await target.execute(p, { timeoutMs: 120_000 }).catch((e: unknown) => e);
    expect(isAtomicLabError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'E_VAGRANT_EVAL_EXPIRED', exitCode: 3 });
    expect((err as Error).message).toMatch(/evaluation licence of win10 has expired .*LicenseStatus 5, 0 minutes left.*vagrant box update/);
    await target.dispose(p);
    expect(t.remaining()).toBe(0);
  });

  it('first use: up and snapshot save; a machine that stops during the test is a lab error, and the results are not read', async () => {
    const t = loadTranscript(path.join(FIX, 'windows-first-use.transcript.yaml'), { MARKER });
    const target = new VagrantTarget(config(), t.runner);
    const p = await target.prepare(test3(), ctx('first'));
    const err = await target.execute(p, { timeoutMs: 120_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_VAGRANT_STOPPED', exitCode: 3 });
    expect((err as Error).message).toMatch(/win10 is poweroff after the test: the machine stopped while the test ran \(an expired evaluation box shuts down every hour/);
    await target.dispose(p);
    expect(t.remaining()).toBe(0);
  });
});
