// Reading a results.json (CONTRACTS.md) for `report` and for a baseline: bad input is one clear
// message naming the file and, where there is one, line:column and the JSON path (exit 2).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import type { ResultsFile } from '../verdicts/results.ts';
import { ms } from './time.ts';

const VERDICTS = ['PASS', 'FAIL', 'KNOWN_GAP', 'NO_TELEMETRY', 'ERROR'];
const LANGUAGES = ['spl', 'cql', 'sigma'];
const PROVENANCES = ['executed', 'replayed'];

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

type Check = (cond: boolean, path: string, what: string) => void;

function checkShape(data: unknown, check: Check): asserts data is ResultsFile {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const str = (o: Record<string, unknown>, k: string, path: string) => check(typeof o[k] === 'string', `${path}.${k}`, 'a string');
  check(isObj(data), '$', 'an object with "run" and "results"');
  const root = data as Record<string, unknown>;
  check(isObj(root.run), '$.run', 'an object');
  const run = root.run as Record<string, unknown>;
  for (const k of ['id', 'started', 'finished', 'version', 'commit']) str(run, k, '$.run');
  check(Array.isArray(root.results), '$.results', 'an array');
  (root.results as unknown[]).forEach((r, i) => {
    const p = `$.results[${i}]`;
    check(isObj(r), p, 'an object');
    const res = r as Record<string, unknown>;
    check(isObj(res.test), `${p}.test`, 'an object');
    const test = res.test as Record<string, unknown>;
    for (const k of ['technique', 'guid', 'name']) str(test, k, `${p}.test`);
    check(typeof test.number === 'number', `${p}.test.number`, 'a number');
    str(res, 'target', p);
    check(PROVENANCES.includes(res.provenance as string), `${p}.provenance`, `one of ${PROVENANCES.join(', ')}`);
    check(isObj(res.telemetry), `${p}.telemetry`, 'an object');
    const tel = res.telemetry as Record<string, unknown>;
    check(typeof tel.events === 'number', `${p}.telemetry.events`, 'a number');
    check(Array.isArray(tel.signals), `${p}.telemetry.signals`, 'an array');
    if (tel.processes !== undefined) check(Array.isArray(tel.processes), `${p}.telemetry.processes`, 'an array');
    check(Array.isArray(res.detections), `${p}.detections`, 'an array');
    (res.detections as unknown[]).forEach((d, j) => {
      const q = `${p}.detections[${j}]`;
      check(isObj(d), q, 'an object');
      const det = d as Record<string, unknown>;
      str(det, 'rule', q);
      check(LANGUAGES.includes(det.language as string), `${q}.language`, `one of ${LANGUAGES.join(', ')}`);
      check(det.expected === null || typeof det.expected === 'string', `${q}.expected`, 'a DetectionType string or null');
      check(Array.isArray(det.observed) && det.observed.every((o) => typeof o === 'string'), `${q}.observed`, 'an array of strings');
      check(VERDICTS.includes(det.verdict as string), `${q}.verdict`, `one of ${VERDICTS.join(', ')}`);
    });
  });
}

/** Parses and checks results.json text; `file` names it in messages. */
export function parseResults(text: string, file: string): ResultsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /at position (\d+)/.exec(msg);
    const pos = at ? lineColumn(text, Number(at[1])) : {};
    throw new InputError('E_INPUT_RESULTS', `not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, { file, ...pos });
  }
  checkShape(data, (cond, path, what) => {
    if (!cond) throw new InputError('E_INPUT_RESULTS', `${path} must be ${what} (results.json, CONTRACTS.md)`, { file });
  });
  return data;
}

export async function readResults(file: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError('E_INPUT_UNREADABLE', `cannot read results file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
  return parseResults(text, file);
}

/**
 * The most recent earlier run under a reports folder (`reports/<run-id>/results.json`, by
 * `run.finished`), skipping `latest/` and the run `excludeRunId`; undefined when there is none.
 * Unreadable or malformed earlier results are skipped: they cannot serve as a baseline.
 */
export async function findPreviousResults(reportsRoot: string, excludeRunId?: string): Promise<{ file: string; results: ResultsFile } | undefined> {
  let entries: string[];
  try {
    entries = (await readdir(reportsRoot, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name !== 'latest').map((e) => e.name);
  } catch {
    return undefined;
  }
  let best: { file: string; results: ResultsFile } | undefined;
  for (const name of entries.sort()) {
    const file = path.join(reportsRoot, name, 'results.json');
    let results: ResultsFile;
    try {
      results = await readResults(file);
    } catch {
      continue;
    }
    if (results.run.id === excludeRunId) continue;
    if (!best || (ms(results.run.finished) ?? 0) > (ms(best.results.run.finished) ?? 0)) best = { file, results };
  }
  return best;
}
