// atomic-lab doctor: check each configured target and say what is missing and how to fix it.
// Targets come from --config FILE, else atomic-lab.yaml in the working directory, else the
// built-in defaults (wine, sandbox, qemu). Exit 0 when every check passes, 3 (lab error) otherwise.
import { LabError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { checkTarget, formatChecks, type Check } from '../../lab-config/checks.ts';
import { loadLabConfig, resolveTarget } from '../../lab-config/load.ts';
import type { QemuTargetConfig, TargetConfig } from '../../lab-config/types.ts';
import { buildImage } from '../../targets/qemu/image.ts';
import { loadRecipe } from '../../targets/qemu/recipe.ts';
import type { CommandSpec } from '../spec.ts';

export const doctorCommand: CommandSpec = {
  name: 'doctor',
  summary: 'Check the lab targets and print what is missing, with the command that fixes it',
  options: [
    { name: 'config', type: 'string', argument: 'FILE', description: 'lab config file (YAML; default: ./atomic-lab.yaml, else the built-in targets)' },
    { name: 'target', type: 'string', argument: 'NAME', multiple: true, description: 'check only these targets (names or types)' },
    { name: 'build-image', type: 'boolean', description: 'build the QEMU lab image of the qemu targets first (debootstrap, needs root)' },
  ],
  async run(args) {
    const config = loadLabConfig(args.options.config ? { file: String(args.options.config) } : {});
    const names = (args.options.target as string[] | undefined) ?? [];
    const targets: TargetConfig[] = names.length ? names.map((n) => resolveTarget(config, n)) : config.targets;
    if (args.options['build-image']) {
      const qemu = targets.filter((t): t is QemuTargetConfig => t.type === 'qemu');
      if (qemu.length === 0) throw new LabError('E_DOCTOR', '--build-image: no qemu target among the checked targets');
      for (const t of qemu) await buildImage(loadRecipe(t.recipe));
    }
    logger.info(`checking ${targets.length} target(s) from ${config.file ?? 'the built-in defaults'}`);
    const checks: Check[] = [];
    for (const t of targets) checks.push(...(await checkTarget(t)));
    process.stdout.write(formatChecks(checks));
    const missing = checks.filter((c) => !c.ok);
    process.stdout.write(missing.length ? `${missing.length} of ${checks.length} checks failed\n` : `all ${checks.length} checks passed\n`);
    return missing.length ? 3 : 0;
  },
};
