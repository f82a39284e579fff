// Target choice: `wine` and `sandbox` by name, or `auto`: per test, the first local target that
// can run it (Windows command_prompt atomics → wine, Linux sh/bash atomics → sandbox).
import { UsageError } from '../core/errors.ts';
import type { AtomicTest } from '../atomics/model.ts';
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
      throw new UsageError(`unknown target '${String(name)}' (local targets: ${LOCAL_TARGETS.join(', ')})`);
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
  if (choice !== 'auto' && !LOCAL_TARGETS.includes(choice)) {
    throw new UsageError(`the ${choice} target is not available in this build (local targets: ${LOCAL_TARGETS.join(', ')}, or auto)`);
  }
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
