// The VM and remote targets built from the lab config: what `--target qemu|vagrant|ssh` means is
// the config entry resolveTarget() picks (or the built-in defaults), so registering these targets
// in the target selection is one call.
import { UsageError } from '../core/errors.ts';
import { QemuTarget } from '../targets/qemu/index.ts';
import { SshTarget } from '../targets/ssh/index.ts';
import type { Target } from '../targets/types.ts';
import { VagrantTarget } from '../targets/vagrant/index.ts';
import { loadLabConfig, resolveTarget } from './load.ts';

/** The target `name` (a config entry name or a type) from `configFile`, ./atomic-lab.yaml or the defaults. */
export function createConfiguredTarget(name: string, configFile?: string): Target {
  const config = resolveTarget(loadLabConfig(configFile ? { file: configFile } : {}), name);
  switch (config.type) {
    case 'qemu':
      return new QemuTarget(config);
    case 'vagrant':
      return new VagrantTarget(config);
    case 'ssh':
      return new SshTarget(config);
    default:
      throw new UsageError(`target '${name}' is a ${config.type} target, which the local target selection creates`);
  }
}
