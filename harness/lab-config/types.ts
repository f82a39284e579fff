// The lab config as the targets and `doctor` read it: every setting present, defaults filled in
// (schema.ts), paths resolved against the config file's folder (or the repo for the built-ins).
import type { SourcePosition } from '../core/errors.ts';
import type { TargetType } from './schema.ts';

interface TargetBase {
  /** the entry's name under `targets:` (what `--target NAME` selects) */
  name: string;
  type: TargetType;
  /** seconds one test command may run */
  testTimeout: number;
  /** where the entry is written (undefined for built-in defaults) */
  position?: SourcePosition;
}

export interface WineTargetConfig extends TargetBase { type: 'wine' }
export interface SandboxTargetConfig extends TargetBase { type: 'sandbox' }

export interface QemuTargetConfig extends TargetBase {
  type: 'qemu';
  accel: 'auto' | 'kvm' | 'tcg';
  memory: number;
  cpus: number;
  bootTimeout: number;
  /** absolute path of the image recipe */
  recipe: string;
  network: 'none' | 'user';
}

export interface VagrantTargetConfig extends TargetBase {
  type: 'vagrant';
  machine: string;
  /** absolute path of the folder holding the Vagrantfile */
  vagrantfileDir: string;
  snapshot: string;
  platform: 'windows' | 'linux';
  upTimeout: number;
  sensors: string[];
}

export interface SshTargetConfig extends TargetBase {
  type: 'ssh';
  host: string;
  port: number;
  user: string;
  /** absolute path, or undefined (agent / ssh config) */
  key?: string;
  knownHosts?: string;
  platform: 'linux' | 'windows';
  sensors: string[];
  sudo: boolean;
  workDir: string;
  connectTimeout: number;
}

export type TargetConfig = WineTargetConfig | SandboxTargetConfig | QemuTargetConfig | VagrantTargetConfig | SshTargetConfig;

export interface LabConfig {
  /** the file read, or undefined when the built-in defaults are used */
  file?: string;
  targets: TargetConfig[];
}
