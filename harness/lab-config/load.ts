// Finds and loads the lab config: `--config FILE`, else atomic-lab.yaml (or .yml) in the working
// directory, else the built-in defaults (wine, sandbox, qemu with default settings). A file that
// cannot be read or does not validate is an InputError (exit 2) with file:line:column.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, UsageError } from '../core/errors.ts';
import { parseYamlFile } from '../core/yaml-file.ts';
import { DEFAULT_CONFIG_FILES, DEFAULT_TARGETS, TARGET_TYPES, type TargetType } from './schema.ts';
import type { LabConfig, TargetConfig } from './types.ts';
import { targetFromSettings, validateLabConfig } from './validate.ts';

/** The checkout this code runs from: default recipe and Vagrantfile paths are relative to it. */
export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseLabConfig(text: string, file: string, repoDir = REPO_DIR): LabConfig {
  return validateLabConfig(parseYamlFile(text, file), repoDir);
}

export function loadLabConfig(options: { file?: string; cwd?: string; repoDir?: string } = {}): LabConfig {
  const repoDir = options.repoDir ?? REPO_DIR;
  let file = options.file;
  if (file === undefined) {
    const cwd = options.cwd ?? process.cwd();
    file = DEFAULT_CONFIG_FILES.map((f) => path.join(cwd, f)).find((f) => existsSync(f));
    if (file === undefined) return { targets: DEFAULT_TARGETS.map((t) => defaultTarget(t, repoDir)) };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError('E_CONFIG_READ', `cannot read the lab config: ${(e as Error).message}`, { file });
  }
  return parseLabConfig(text, file, repoDir);
}

/** A target of `type` with every setting at its default (not valid for ssh, which needs a host). */
export function defaultTarget(type: TargetType, repoDir = REPO_DIR): TargetConfig {
  return targetFromSettings(type, type, {}, repoDir);
}

/**
 * The target `--target NAME` means: the config entry of that name; else, for a type name, the only
 * entry of that type, or the built-in defaults of that type (not for ssh, which needs a host).
 */
export function resolveTarget(config: LabConfig, name: string, repoDir = REPO_DIR): TargetConfig {
  const byName = config.targets.find((t) => t.name === name);
  if (byName) return byName;
  if (!(TARGET_TYPES as readonly string[]).includes(name)) {
    throw new UsageError(`no target '${name}' in ${config.file ?? 'the built-in defaults'} (targets: ${config.targets.map((t) => t.name).join(', ')})`);
  }
  const ofType = config.targets.filter((t) => t.type === name);
  if (ofType.length === 1) return ofType[0]!;
  if (ofType.length > 1) {
    throw new UsageError(`${config.file} has several ${name} targets (${ofType.map((t) => t.name).join(', ')}): name one with --target`);
  }
  if (name === 'ssh') {
    throw new UsageError(`the ssh target needs a host: add one to a lab config (atomic-lab.yaml) under targets:, e.g.\n` +
      `  targets:\n    web01: { type: ssh, host: 192.0.2.10, user: root, key: ~/.ssh/id_ed25519, platform: linux }`);
  }
  return defaultTarget(name as TargetType, repoDir);
}
