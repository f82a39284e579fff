// The reporter registry (as vitest's ReportersMap): name → writer. Adding a format is one file and
// one entry here; the CLI lists valid names from this map. All are written unless some are chosen.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import type { ResultsFile } from '../verdicts/results.ts';
import { attireWriter } from './attire.ts';
import { htmlWriter } from './html/page.ts';
import { jsonWriter } from './json.ts';
import { junitWriter } from './junit.ts';
import { markdownWriter } from './markdown.ts';
import { navigatorWriter } from './navigator.ts';
import type { ReportFile, Writer } from './types.ts';

export const REPORTERS = {
  json: jsonWriter,
  junit: junitWriter,
  html: htmlWriter,
  navigator: navigatorWriter,
  attire: attireWriter,
  markdown: markdownWriter,
} as const satisfies Record<string, Writer>;

export type ReporterName = keyof typeof REPORTERS;

export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

export interface ReportOptions {
  /** default: every reporter */
  reporters?: readonly string[];
  /** an earlier run: every report gets a history section */
  baseline?: ResultsFile;
}

function chosen(names: readonly string[] | undefined): ReporterName[] {
  if (!names || names.length === 0) return REPORTER_NAMES;
  for (const n of names) {
    if (!(n in REPORTERS)) throw new UsageError(`unknown reporter '${n}': one of ${REPORTER_NAMES.join(', ')}`);
  }
  return REPORTER_NAMES.filter((n) => names.includes(n));
}

/** Every chosen report's files, in registry order; pure. */
export function renderReports(results: ResultsFile, options: ReportOptions = {}): ReportFile[] {
  const writerOptions = options.baseline ? { baseline: options.baseline } : {};
  return chosen(options.reporters).flatMap((name) => REPORTERS[name](results, writerOptions));
}

/**
 * Renders, then writes each file through a temporary name and a rename, so a reader never sees half
 * a report and a failure leaves the earlier files whole. Returns the paths written.
 */
export async function writeReports(results: ResultsFile, dir: string, options: ReportOptions = {}): Promise<string[]> {
  const files = renderReports(results, options);
  const written: string[] = [];
  for (const f of files) {
    const target = path.join(dir, ...f.path.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, f.content, 'utf8');
    await rename(tmp, target);
    written.push(target);
  }
  return written;
}
