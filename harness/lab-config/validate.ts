// Validates a parsed lab config against the schema tables. The first problem is an InputError
// (exit 2) naming file:line:column of the offending key or value.
import { homedir } from 'node:os';
import path from 'node:path';
import type { YamlFile } from '../core/yaml-file.ts';
import { TARGET_FIELDS, TARGET_TYPES, defaultSensors, type FieldSpec, type TargetType } from './schema.ts';
import type { LabConfig, TargetConfig } from './types.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const TOP_KEYS = ['targets'];

type Value = string | number | boolean | string[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `~/x` → home, relative → against `base`. */
export function resolvePath(p: string, base: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(homedir(), p.slice(1));
  return path.resolve(base, p);
}

function checkField(y: YamlFile, where: (string | number)[], key: string, spec: FieldSpec, value: unknown, baseDir: string): Value {
  const t = spec.type;
  const fail = (msg: string) => y.error('E_CONFIG_VALUE', `${key}: ${msg}`, where);
  switch (t.kind) {
    case 'string':
    case 'path':
      if (typeof value !== 'string' || value === '') throw fail(`expected a non-empty string, got ${JSON.stringify(value)}`);
      return t.kind === 'path' ? resolvePath(value, baseDir) : value;
    case 'enum':
      if (typeof value !== 'string' || !t.values.includes(value)) throw fail(`expected one of ${t.values.join(', ')}, got ${JSON.stringify(value)}`);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw fail(`expected a whole number, got ${JSON.stringify(value)}`);
      if (value < t.min || value > t.max) throw fail(`${value} is out of range ${t.min}..${t.max}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw fail(`expected true or false, got ${JSON.stringify(value)}`);
      return value;
    case 'list': {
      if (!Array.isArray(value)) throw fail(`expected a list of ${t.values.join(', ')} (may be empty: [])`);
      value.forEach((v, i) => {
        if (typeof v !== 'string' || !t.values.includes(v)) {
          throw y.error('E_CONFIG_VALUE', `${key}: expected one of ${t.values.join(', ')}, got ${JSON.stringify(v)}`, [...where, i]);
        }
      });
      return value as string[];
    }
  }
}

/** Fills defaults of `type` into a camelCase record. Defaults that are paths resolve against `repoDir`. */
export function targetFromSettings(name: string, type: TargetType, given: Record<string, Value>, repoDir: string): TargetConfig {
  const out: Record<string, unknown> = { name, type };
  for (const [key, spec] of Object.entries(TARGET_FIELDS[type])) {
    if (key === 'type') continue;
    let v: unknown = given[key];
    if (v === undefined && spec.default !== undefined) {
      v = spec.type.kind === 'path' ? resolvePath(String(spec.default), repoDir) : spec.default;
    }
    if (v !== undefined) out[camel(key)] = v;
  }
  if ((type === 'ssh' || type === 'vagrant') && out.sensors === undefined) out.sensors = defaultSensors(out.platform as 'linux' | 'windows');
  if (type === 'ssh' && out.workDir === undefined) out.workDir = '/var/tmp/atomic-lab';
  return out as unknown as TargetConfig;
}

export function validateLabConfig(y: YamlFile, repoDir: string): LabConfig {
  const doc = y.value;
  const baseDir = path.dirname(path.resolve(y.file));
  if (!isRecord(doc)) throw y.error('E_CONFIG_SHAPE', 'a lab config is a mapping with a `targets:` key', []);
  for (const k of Object.keys(doc)) {
    if (!TOP_KEYS.includes(k)) throw y.error('E_CONFIG_KEY', `unknown key '${k}' (allowed: ${TOP_KEYS.join(', ')})`, [k]);
  }
  const targets = doc.targets;
  if (!isRecord(targets) || Object.keys(targets).length === 0) {
    throw y.error('E_CONFIG_SHAPE', '`targets:` must map target names to their settings', ['targets']);
  }
  const out: TargetConfig[] = [];
  for (const [name, raw] of Object.entries(targets)) {
    const at = ['targets', name];
    if (!NAME.test(name)) throw y.error('E_CONFIG_NAME', `target name '${name}' must be letters, digits, '.', '_' or '-'`, at);
    const settings = raw ?? {};
    if (!isRecord(settings)) throw y.error('E_CONFIG_SHAPE', `target '${name}': expected a mapping of settings`, at);
    const declared = settings.type;
    let type: TargetType;
    if (declared === undefined) {
      if (!(TARGET_TYPES as readonly string[]).includes(name)) {
        throw y.error('E_CONFIG_TYPE', `target '${name}': add \`type:\` (one of ${TARGET_TYPES.join(', ')}); only entries named after a type may leave it out`, at);
      }
      type = name as TargetType;
    } else {
      type = checkField(y, [...at, 'type'], 'type', TARGET_FIELDS.wine.type!, declared, baseDir) as TargetType;
    }
    const fields = TARGET_FIELDS[type];
    const given: Record<string, Value> = {};
    for (const [key, value] of Object.entries(settings)) {
      const spec = fields[key];
      if (!spec) {
        throw y.error('E_CONFIG_KEY', `target '${name}' (${type}): unknown setting '${key}' (allowed: ${Object.keys(fields).join(', ')})`, [...at, key]);
      }
      if (key !== 'type') given[key] = checkField(y, [...at, key], key, spec, value, baseDir);
    }
    for (const [key, spec] of Object.entries(fields)) {
      if (spec.required && given[key] === undefined) throw y.error('E_CONFIG_MISSING', `target '${name}' (${type}): '${key}' is required (${spec.description})`, at);
    }
    const platform = given.platform as string | undefined;
    const sensors = given.sensors as string[] | undefined;
    if (platform && sensors) {
      const allowed = defaultSensors(platform as 'linux' | 'windows');
      const bad = sensors.findIndex((s) => !allowed.includes(s));
      if (bad >= 0) throw y.error('E_CONFIG_VALUE', `sensors: '${sensors[bad]}' does not exist on ${platform} (use ${allowed.join(', ')})`, [...at, 'sensors', bad]);
    }
    out.push({ ...targetFromSettings(name, type, given, repoDir), position: y.at(at) });
  }
  return { file: y.file, targets: out };
}
