// The lab config's schema as tables: one table of settings per target type. validate.ts walks a
// parsed YAML file against them; defaults live here too, so `doctor` and the targets read one
// source. Names are snake_case as written in atomic-lab.yaml.

export const TARGET_TYPES = ['wine', 'sandbox', 'qemu', 'vagrant', 'ssh'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export type FieldKind =
  | { kind: 'string' }
  | { kind: 'path' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'list'; values: readonly string[] };

export interface FieldSpec {
  type: FieldKind;
  description: string;
  required?: boolean;
  default?: string | number | boolean | readonly string[];
}

const seconds = (min: number, max: number): FieldKind => ({ kind: 'integer', min, max });

/** Sensors a machine can have, by platform (what the ssh and vagrant targets export). */
export const LINUX_SENSORS = ['auditd'] as const;
export const WINDOWS_SENSORS = ['sysmon', 'security', 'application'] as const;
export const SENSORS = [...LINUX_SENSORS, ...WINDOWS_SENSORS] as const;

const COMMON: Record<string, FieldSpec> = {
  type: { type: { kind: 'enum', values: TARGET_TYPES }, description: 'target type (default: the entry name, when it is a type)' },
  test_timeout: { type: seconds(1, 86_400), default: 300, description: 'seconds one test command may run' },
};

export const TARGET_FIELDS: Record<TargetType, Record<string, FieldSpec>> = {
  wine: { ...COMMON },
  sandbox: { ...COMMON },
  qemu: {
    ...COMMON,
    accel: { type: { kind: 'enum', values: ['auto', 'kvm', 'tcg'] }, default: 'auto', description: 'auto: KVM when a probe boot works, else TCG' },
    memory: { type: { kind: 'integer', min: 256, max: 65_536 }, default: 1024, description: 'guest memory in MiB' },
    cpus: { type: { kind: 'integer', min: 1, max: 64 }, default: 2, description: 'guest vCPUs' },
    boot_timeout: { type: seconds(10, 3600), default: 180, description: 'seconds until the guest must reach its init' },
    recipe: { type: { kind: 'path' }, default: 'lab/qemu/recipe.yaml', description: 'image recipe (relative to the repo)' },
    network: { type: { kind: 'enum', values: ['none', 'user'] }, default: 'none', description: 'none: loopback only; user: QEMU user-mode NAT' },
  },
  vagrant: {
    ...COMMON,
    machine: { type: { kind: 'string' }, default: 'win10', description: 'machine name in the Vagrantfile' },
    vagrantfile_dir: { type: { kind: 'path' }, default: '.', description: 'folder holding the Vagrantfile (relative to the repo)' },
    snapshot: { type: { kind: 'string' }, default: 'clean', description: 'snapshot restored before and after each test' },
    platform: { type: { kind: 'enum', values: ['windows', 'linux'] }, default: 'windows', description: 'guest OS' },
    up_timeout: { type: seconds(60, 14_400), default: 1800, description: 'seconds `vagrant up` may take' },
    sensors: { type: { kind: 'list', values: SENSORS }, description: 'telemetry to export (default by platform)' },
  },
  ssh: {
    ...COMMON,
    host: { type: { kind: 'string' }, required: true, description: 'address or name' },
    port: { type: { kind: 'integer', min: 1, max: 65_535 }, default: 22, description: 'ssh port' },
    user: { type: { kind: 'string' }, required: true, description: 'login user' },
    key: { type: { kind: 'path' }, description: 'private key file (default: ssh agent / ssh config)' },
    known_hosts: { type: { kind: 'path' }, description: 'known_hosts file to check the host key against (default: ssh defaults)' },
    platform: { type: { kind: 'enum', values: ['linux', 'windows'] }, required: true, description: 'remote OS' },
    sensors: { type: { kind: 'list', values: SENSORS }, description: 'telemetry to export (default by platform)' },
    sudo: { type: { kind: 'boolean' }, default: false, description: 'Linux: run the runner through `sudo -n` (auditctl needs root)' },
    work_dir: { type: { kind: 'string' }, description: 'Linux: remote folder for runs and payloads (default /var/tmp/atomic-lab); Windows hosts use C:\\atomic-lab' },
    connect_timeout: { type: seconds(1, 600), default: 15, description: 'seconds to wait for the ssh connection' },
  },
};

/** Default sensors by platform. */
export function defaultSensors(platform: 'linux' | 'windows'): string[] {
  return platform === 'linux' ? [...LINUX_SENSORS] : [...WINDOWS_SENSORS];
}

/** Targets checked and offered when no config file names any. */
export const DEFAULT_TARGETS: readonly TargetType[] = ['wine', 'sandbox', 'qemu'];

/** The config file looked for in the working directory when --config is not given. */
export const DEFAULT_CONFIG_FILES = ['atomic-lab.yaml', 'atomic-lab.yml'] as const;
