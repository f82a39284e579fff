// The sandbox target: Linux atomics (sh, bash) in fresh namespaces whose root is an overlay of the
// host's, so nothing they write reaches the host (lab-recipes §5), with the callback listener on
// the namespace's own loopback. Telemetry: auditd where it is usable (root, no other audit daemon),
// limited to the test's own processes by their audit uid (sensors/auditd.ts), else strace of the
// test's process tree (readers/strace).
import type { AtomicTest } from '../atomics/model.ts';
import type { LabTestSpec } from '../run/lab-spec.ts';
import { elevationProblem, firstLine, LabTarget } from './lab-target.ts';
import type { LabSessionOptions } from './lab-session.ts';
import { packageRequirements } from './packages.ts';
import type { Requirement } from './types.ts';

export const SANDBOX_PACKAGES = ['strace', 'auditd', 'util-linux', 'iproute2', 'python3'];

export class SandboxTarget extends LabTarget {
  readonly name = 'sandbox' as const;

  unsupported(test: AtomicTest): string | undefined {
    if (!test.platforms.includes('linux')) return `the sandbox target runs Linux atomics; this one supports ${test.platforms.join(', ')}`;
    if (test.executor.name === 'sh' || test.executor.name === 'bash') return elevationProblem(test);
    return `the ${test.executor.name} executor does not run in the Linux sandbox`;
  }

  async requirements(tests: readonly AtomicTest[], specs: ReadonlyMap<string, LabTestSpec>): Promise<Requirement[]> {
    const pkgs = [...SANDBOX_PACKAGES, ...tests.flatMap((t) => (t.guid ? specs.get(t.guid)?.packages ?? [] : []))];
    return packageRequirements(pkgs);
  }

  protected async sessionOptions(): Promise<Pick<LabSessionOptions, 'hostname' | 'wine'>> {
    return { hostname: 'atomic-lab' };
  }

  async versions(): Promise<Record<string, string>> {
    return {
      python: await firstLine('/usr/bin/python3', ['--version']),
      pip: await firstLine('/usr/bin/python3', ['-m', 'pip', '--version']),
      strace: await firstLine('strace', ['-V']),
      auditd: await firstLine('auditctl', ['-v']),
      kernel: LabTarget.kernel(),
    };
  }
}
