// The wine target: Windows atomics (command_prompt executor) under Wine's real cmd.exe and
// msiexec, inside a sandbox session whose root overlay makes the cached Wine prefix copy-on-write
// for this one test. Telemetry: the Wine debug trace (WINEDEBUG=+pid,+timestamp,+process,+msi,+file)
// → process_creation/file_event with Windows paths (readers/wine-trace). ART dependencies written
// for POSIX shells (the lab's MSI builds with wixl) run in the same kind of session, on the Linux side.
import type { AtomicTest } from '../atomics/model.ts';
import type { LabTestSpec } from '../run/lab-spec.ts';
import { elevationProblem, firstLine, LabTarget } from './lab-target.ts';
import type { LabSessionOptions } from './lab-session.ts';
import { packageRequirements } from './packages.ts';
import { prefixDir, prefixRequirement, wineVersion } from './wine-prefix.ts';
import type { Requirement } from './types.ts';

/** what every wine session needs besides Wine: namespaces (util-linux), `ip` (iproute2), the listener (python3) */
export const WINE_PACKAGES = ['wine', 'util-linux', 'iproute2', 'python3'];

export class WineTarget extends LabTarget {
  readonly name = 'wine' as const;

  unsupported(test: AtomicTest): string | undefined {
    if (!test.platforms.includes('windows')) return `the wine target runs Windows atomics; this one supports ${test.platforms.join(', ')}`;
    if (test.executor.name === 'command_prompt') return elevationProblem(test);
    if (test.executor.name === 'powershell') return "powershell executor: Wine's powershell.exe is a stub that runs nothing (lab-recipes §2.5)";
    return `the ${test.executor.name} executor does not run under Wine`;
  }

  async requirements(tests: readonly AtomicTest[], specs: ReadonlyMap<string, LabTestSpec>): Promise<Requirement[]> {
    const pkgs = [...WINE_PACKAGES, ...tests.flatMap((t) => (t.guid ? specs.get(t.guid)?.packages ?? [] : []))];
    return [...(await packageRequirements(pkgs)), await prefixRequirement()];
  }

  protected async sessionOptions(): Promise<Pick<LabSessionOptions, 'hostname' | 'wine'>> {
    const version = await wineVersion();
    return { hostname: 'atomic-lab-wine', ...(version ? { wine: { prefix: prefixDir(version) } } : {}) };
  }

  async versions(): Promise<Record<string, string>> {
    return {
      wine: (await wineVersion()) ?? 'not installed',
      wixl: await firstLine('wixl', ['--version']),
      msitools: await firstLine('msiinfo', ['--version']),
      kernel: LabTarget.kernel(),
    };
  }
}
