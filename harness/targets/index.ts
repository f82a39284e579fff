// Target choice: a target by name, or `auto`: per test, the first local target that can run it
// (Windows command_prompt atomics → wine, Linux sh/bash atomics → sandbox). `qemu`, `vagrant` and
// `ssh` come from the lab config (harness/lab-config: ./atomic-lab.yaml or the built-in defaults).
import type { AtomicTest } from '../atomics/model.ts';
import { createConfiguredTarget } from '../lab-config/targets.ts';
import { SandboxTarget } from './sandbox.ts';
import type { TargetOptions } from './lab-target.ts';
import type { Target, TargetName } from './types.ts';
import { WineTarget } from './wine.ts';

export type TargetChoice = 'auto' | TargetName;
export const LOCAL_TARGETS: readonly TargetName[] = ['wine', 'sandbox'];

export function createTarget(name: TargetName, options: TargetOptions = {}): Target {
  switch (name) {
    case 'wine':
      return new WineTarget(options);
    case 'sandbox':
      return new SandboxTarget(options);
    default:
      return createConfiguredTarget(name, options.configFile);
  }
}

export interface Assignment {
  test: AtomicTest;
  target?: Target;
  /** why no target can run the test */
  reason?: string;
}

/** The target for each test; `targets` is reused so each target object is created once. */
export function assignTargets(tests: readonly AtomicTest[], choice: TargetChoice, options: TargetOptions = {}): Assignment[] {
  const cache = new Map<TargetName, Target>();
  const get = (n: TargetName) => {
    let t = cache.get(n);
    if (!t) cache.set(n, (t = createTarget(n, options)));
    return t;
  };
  return tests.map((test) => {
    const names = choice === 'auto' ? LOCAL_TARGETS : [choice];
    const reasons: string[] = [];
    for (const n of names) {
      const why = get(n).unsupported(test);
      if (!why) return { test, target: get(n) };
      reasons.push(`${n}: ${why}`);
    }
    return { test, reason: `no local target can run ${test.id}: ${reasons.join('; ')}` };
  });
}
