// The lab's own data about each atomic test, kept beside the atomics so upstream ART files stay
// untouched: `atomics/<TID>/lab.yaml`, keyed by auto_generated_guid. Per test:
//
//   packages:  Debian packages the test needs on the lab host (checked, installed with --get-prereqs)
//   inputs:    input-argument values the harness passes (quoted for the executor's shell); ${marker}
//              is the run marker (GUID), ${callback} the listener's base URL (http://127.0.0.1:8765)
//   proof:     proof of execution, each one of
//                callback: {path, marker}            the listener received <path>?marker=<marker>
//                file: {path, contains}               a file exists in the sandbox / Wine prefix
//                process: <match>                     a process creation matching <match> was captured
//                custom_action: {action, type}        the Wine trace shows msiexec handling the action
//                wine_stub: {contains: [..]}          Wine's stub powershell.exe received these words
//                exit_code: N                         the command exited with N
//              optionally limited with `targets: [wine|sandbox]`
//   signals:   the seed's "Expected signal" sentences, each with the event <match> that shows it,
//              `absent: true` when the signal is that nothing matches, and `not_observable_on:
//              {<target>: <reason>}` for what a target cannot produce (MsiInstaller events under Wine)
//
// A <match>: kind, image, name, command_line (text matches: equals, startswith, endswith, contains
// [all of], regex; always case-insensitive), marker: true (the process or one of its ancestors has
// the run marker on its command line), parent: <match> (recursively up the tree), file, destination
// {ip, port}.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { parseYamlFile, type YamlFile } from '../core/yaml-file.ts';
import type { EventKind } from '../telemetry/model.ts';

export const LAB_FILE = 'lab.yaml';
export type TargetName = 'wine' | 'sandbox' | 'qemu' | 'vagrant' | 'ssh';

export interface TextMatch {
  equals?: string;
  startswith?: string;
  endswith?: string;
  contains?: string[];
  regex?: string;
}

export interface EventMatch {
  kind?: EventKind;
  image?: TextMatch;
  name?: TextMatch;
  command_line?: TextMatch;
  marker?: boolean;
  parent?: EventMatch;
  file?: TextMatch;
  destination?: { ip?: string; port?: string };
}

interface ProofBase {
  description: string;
  targets?: TargetName[];
}
export type ProofSpec = ProofBase & (
  | { callback: { path: string; marker?: boolean } }
  | { file: { path: string; contains?: string } }
  | { process: EventMatch }
  | { custom_action: { action: string; type?: number } }
  | { wine_stub: { contains: string[] } }
  | { exit_code: number }
);

export interface SignalSpec {
  description: string;
  match: EventMatch;
  absent?: boolean;
  not_observable_on?: Partial<Record<TargetName, string>>;
}

export interface LabTestSpec {
  guid: string;
  file: string;
  packages: string[];
  inputs: Record<string, string>;
  proof: ProofSpec[];
  signals: SignalSpec[];
}

const TEST_KEYS = new Set(['packages', 'inputs', 'proof', 'signals']);
const PROOF_KINDS = ['callback', 'file', 'process', 'custom_action', 'wine_stub', 'exit_code'];
const MATCH_KEYS = new Set(['kind', 'image', 'name', 'command_line', 'marker', 'parent', 'file', 'destination']);
const TEXT_KEYS = new Set(['equals', 'startswith', 'endswith', 'contains', 'regex']);

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every lab.yaml under an atomics folder (ART layout), by test guid. */
export function loadLabSpecs(atomicsDir: string): Map<string, LabTestSpec> {
  const specs = new Map<string, LabTestSpec>();
  if (!existsSync(atomicsDir)) return specs;
  for (const d of readdirSync(atomicsDir, { withFileTypes: true })) {
    const file = path.join(atomicsDir, d.name, LAB_FILE);
    if (!d.isDirectory() || !existsSync(file)) continue;
    for (const spec of parseLabFile(readFileSync(file, 'utf8'), file)) specs.set(spec.guid, spec);
  }
  return specs;
}

export function parseLabFile(text: string, file: string): LabTestSpec[] {
  const y = parseYamlFile(text, file);
  const root = y.value;
  if (!isDict(root) || !isDict(root.tests)) throw y.error('E_LAB_SPEC', "expected a mapping with a 'tests' mapping keyed by auto_generated_guid", []);
  const out: LabTestSpec[] = [];
  for (const [guid, raw] of Object.entries(root.tests)) {
    const at = ['tests', guid];
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(guid)) throw y.error('E_LAB_SPEC', `'${guid}' is not a lower-case GUID`, at);
    if (!isDict(raw)) throw y.error('E_LAB_SPEC', 'expected a mapping', at);
    for (const k of Object.keys(raw)) if (!TEST_KEYS.has(k)) throw y.error('E_LAB_SPEC', `unknown key '${k}' (expected ${[...TEST_KEYS].join(', ')})`, [...at, k]);
    out.push({
      guid,
      file,
      packages: strings(y, raw.packages ?? [], [...at, 'packages']),
      inputs: stringMap(y, raw.inputs ?? {}, [...at, 'inputs']),
      proof: list(y, raw.proof ?? [], [...at, 'proof']).map((p, i) => proof(y, p, [...at, 'proof', i])),
      signals: list(y, raw.signals ?? [], [...at, 'signals']).map((s, i) => signal(y, s, [...at, 'signals', i])),
    });
  }
  return out;
}

type Path = (string | number)[];

function list(y: YamlFile, v: unknown, at: Path): unknown[] {
  if (!Array.isArray(v)) throw y.error('E_LAB_SPEC', 'expected a list', at);
  return v;
}

function strings(y: YamlFile, v: unknown, at: Path): string[] {
  return list(y, v, at).map((s, i) => {
    if (typeof s !== 'string') throw y.error('E_LAB_SPEC', 'expected a string', [...at, i]);
    return s;
  });
}

function stringMap(y: YamlFile, v: unknown, at: Path): Record<string, string> {
  if (!isDict(v)) throw y.error('E_LAB_SPEC', 'expected a mapping', at);
  for (const [k, s] of Object.entries(v)) if (typeof s !== 'string') throw y.error('E_LAB_SPEC', 'expected a string', [...at, k]);
  return v as Record<string, string>;
}

function description(y: YamlFile, v: Dict, at: Path): string {
  if (typeof v.description !== 'string' || !v.description.trim()) throw y.error('E_LAB_SPEC', "'description' (text) is required", at);
  return v.description;
}

function proof(y: YamlFile, v: unknown, at: Path): ProofSpec {
  if (!isDict(v)) throw y.error('E_LAB_SPEC', 'expected a mapping', at);
  const kinds = PROOF_KINDS.filter((k) => k in v);
  if (kinds.length !== 1) throw y.error('E_LAB_SPEC', `a proof has exactly one of ${PROOF_KINDS.join(', ')}`, at);
  const kind = kinds[0]!;
  const base: ProofBase = { description: description(y, v, at), ...(v.targets ? { targets: strings(y, v.targets, [...at, 'targets']) as TargetName[] } : {}) };
  if (kind === 'process') return { ...base, process: match(y, v.process, [...at, 'process']) };
  if (kind === 'exit_code') {
    if (typeof v.exit_code !== 'number') throw y.error('E_LAB_SPEC', 'exit_code: expected a number', [...at, 'exit_code']);
    return { ...base, exit_code: v.exit_code };
  }
  if (!isDict(v[kind])) throw y.error('E_LAB_SPEC', `${kind}: expected a mapping`, [...at, kind]);
  return { ...base, [kind]: v[kind] } as ProofSpec;
}

function signal(y: YamlFile, v: unknown, at: Path): SignalSpec {
  if (!isDict(v)) throw y.error('E_LAB_SPEC', 'expected a mapping', at);
  return {
    description: description(y, v, at),
    match: match(y, v.match, [...at, 'match']),
    ...(v.absent === true ? { absent: true } : {}),
    ...(isDict(v.not_observable_on) ? { not_observable_on: stringMap(y, v.not_observable_on, [...at, 'not_observable_on']) } : {}),
  };
}

function match(y: YamlFile, v: unknown, at: Path): EventMatch {
  if (!isDict(v)) throw y.error('E_LAB_SPEC', 'expected a match (mapping)', at);
  for (const k of Object.keys(v)) if (!MATCH_KEYS.has(k)) throw y.error('E_LAB_SPEC', `unknown match key '${k}' (expected ${[...MATCH_KEYS].join(', ')})`, [...at, k]);
  for (const k of ['image', 'name', 'command_line', 'file'] as const) {
    if (v[k] === undefined) continue;
    if (!isDict(v[k])) throw y.error('E_LAB_SPEC', `${k}: expected a text match (${[...TEXT_KEYS].join(', ')})`, [...at, k]);
    for (const t of Object.keys(v[k] as Dict)) if (!TEXT_KEYS.has(t)) throw y.error('E_LAB_SPEC', `unknown text match '${t}'`, [...at, k, t]);
    const re = (v[k] as Dict).regex;
    if (re !== undefined) {
      try {
        new RegExp(String(re), 'i');
      } catch (e) {
        throw y.error('E_LAB_SPEC', `invalid regex: ${(e as Error).message}`, [...at, k, 'regex']);
      }
    }
  }
  const out = { ...v } as EventMatch;
  if (v.parent !== undefined) out.parent = match(y, v.parent, [...at, 'parent']);
  return out;
}

/** `${marker}` and `${callback}` (and any other ${name} in `vars`) expanded; unknown names are an error. */
export function expand(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in vars)) throw new InputError('E_LAB_SPEC', `unknown variable ${whole} in lab data (known: ${Object.keys(vars).map((k) => '${' + k + '}').join(', ')})`);
    return vars[name]!;
  });
}

/** A deep copy of any spec value with every string expanded. */
export function expandAll<T>(value: T, vars: Readonly<Record<string, string>>): T {
  if (typeof value === 'string') return expand(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => expandAll(v, vars)) as T;
  if (isDict(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandAll(v, vars)])) as T;
  return value;
}
