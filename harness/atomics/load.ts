// Loading atomics: one technique file, or a whole folder in Atomic Red Team layout
// (`<dir>/<TID>/<TID>.yaml`; upstream validator.py rules for file names and sub-folders).
//
// A file loads when it parses and upstream's validator would accept it; otherwise it is a load
// failure carrying every finding with its line:column (CONTRACTS.md `list`: reported with path
// and reason, exit 2). The lab's own additions to the layout, decided here:
// - `<TID>/benign.yaml`: benign look-alike scenarios for the technique's detections, in the same
//   ART format, loaded with kind 'benign' (ids `T1546.016-benign-1`);
// - any other `*.yaml` in a technique folder (`lab.yaml`, `expectations.yaml`) is lab data, not
//   atomics, and is not loaded here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError, type SourcePosition } from '../core/errors.ts';
import type { Technique, TestKind } from './model.ts';
import { validateTechnique, type Finding } from './validate.ts';
import { parseYamlFile } from '../core/yaml-file.ts';

export const BENIGN_FILE = 'benign.yaml';
/** sub-folders upstream's validator allows in a technique folder */
const ALLOWED_SUBDIRS = new Set(['src', 'bin']);

export interface LoadedFile {
  file: string;
  technique: Technique;
}

export interface LoadFailure {
  file: string;
  /** first problem, as one line for people (`file:line:col: reason`) */
  error: InputError;
  /** every upstream-validator finding (empty for an unreadable or syntactically broken file) */
  findings: Finding[];
}

export interface LoadResult {
  techniques: Technique[];
  failures: LoadFailure[];
  /** technique files seen (loaded + failed) */
  files: number;
}

function failure(file: string, findings: Finding[]): LoadFailure {
  const f = findings[0]!;
  const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : '';
  return { file, findings, error: new InputError(`E_ATOMIC_${f.code.toUpperCase()}`, `${f.code}: ${f.message}${more}`, f.position) };
}

/** Loads one technique file. Throws InputError for an unreadable file or a YAML syntax error; validator findings are returned. */
export function loadTechniqueFile(file: string, options: { atomicsDir?: string; kind?: TestKind } = {}): { technique: Technique | undefined; findings: Finding[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError('E_INPUT_READ', `cannot read atomics file: ${(e as Error).message}`, { file });
  }
  const yaml = parseYamlFile(text, file);
  const atomicsDir = options.atomicsDir ?? path.dirname(path.dirname(path.resolve(file)));
  const kind = options.kind ?? (path.basename(file) === BENIGN_FILE ? 'benign' : 'attack');
  return validateTechnique({ yaml, atomicsDir, kind });
}

/** The technique files of a folder in ART layout (or of one technique folder), sorted. */
export function techniqueFiles(dir: string): { file: string; kind: TestKind; badName?: boolean }[] {
  const root = path.resolve(dir);
  let stat;
  try {
    stat = statSync(root);
  } catch (e) {
    throw new InputError('E_INPUT_READ', `cannot read atomics folder: ${(e as Error).message}`, { file: dir });
  }
  if (stat.isFile()) return [{ file: root, kind: path.basename(root) === BENIGN_FILE ? 'benign' : 'attack' }];
  const own = path.basename(root);
  // a single technique folder given directly
  const folders = exists(path.join(root, `${own}.yaml`)) || exists(path.join(root, `${own}.yml`))
    ? [root]
    : readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(root, d.name)).sort();
  const out: { file: string; kind: TestKind; badName?: boolean }[] = [];
  for (const folder of folders) {
    const tid = path.basename(folder);
    for (const [name, kind, badName] of [
      [`${tid}.yaml`, 'attack', false], [`${tid}.yml`, 'attack', true],
      [BENIGN_FILE, 'benign', false], ['benign.yml', 'benign', true],
    ] as const) {
      const file = path.join(folder, name);
      if (exists(file)) out.push({ file, kind, ...(badName ? { badName } : {}) });
    }
  }
  return out;
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Sub-folders of a technique folder other than src/ and bin/ (upstream `invalid_directory`). */
function badSubdirs(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).filter((d) => d.isDirectory() && !ALLOWED_SUBDIRS.has(d.name)).map((d) => d.name);
}

/** Loads every technique file under `dir`. Never throws for a bad file: it becomes a failure. */
export function loadAtomicsDir(dir: string): LoadResult {
  const entries = techniqueFiles(dir);
  const result: LoadResult = { techniques: [], failures: [], files: entries.length };
  const guids = new Map<string, string>();
  for (const { file, kind, badName } of entries) {
    const at: SourcePosition = { file, line: 1, column: 1 };
    const findings: Finding[] = [];
    if (badName) findings.push({ code: 'invalid_filename', message: 'Rename file from .yml to .yaml', loc: ['filename'], position: at });
    for (const sub of badSubdirs(path.dirname(file))) {
      findings.push({ code: 'invalid_directory', message: `Invalid path '${sub}'. \`src\` and \`bin\` are the only two directories supported.`, loc: ['directory'], position: at });
    }
    let technique: Technique | undefined;
    try {
      const loaded = loadTechniqueFile(file, { kind });
      technique = loaded.technique;
      findings.push(...loaded.findings);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      result.failures.push({ file, error: e, findings: [] });
      continue;
    }
    technique?.tests.forEach((t) => {
      if (!t.guid) return;
      const first = guids.get(t.guid);
      if (first && first !== `${file}#${t.number}`) {
        findings.push({
          code: 'reused_guid',
          message: `GUID ${t.guid} reused for test ${t.name} (first used by ${first.replace(/#(\d+)$/, ' test $1')}). GUIDs are auto generated. You can remove atomic_tests[${t.number - 1}].auto_generated_guid`,
          loc: ['atomic_tests', t.number - 1, 'auto_generated_guid'],
          position: { file, line: t.source.line, column: t.source.column },
        });
      } else guids.set(t.guid, `${file}#${t.number}`);
    });
    if (findings.length > 0 || !technique) {
      result.failures.push(failure(file, findings.length ? findings : [{ code: 'model_type', message: 'not an atomics file', loc: [], position: at }]));
    } else {
      result.techniques.push(technique);
    }
  }
  return result;
}

/** Loads a folder and fails on the first bad file (for the lab's own atomics, where any finding is a defect). */
export function loadAtomicsStrict(dir: string): Technique[] {
  const r = loadAtomicsDir(dir);
  const f = r.failures[0];
  if (f) throw f.error;
  return r.techniques;
}
