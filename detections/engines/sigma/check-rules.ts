// check-rules for Sigma: load every .yml/.yaml under a folder, collecting every problem of every
// file (pySigma collect_errors mode). One "rule" per Sigma document; a file that does not parse
// counts as one failed rule.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadText } from './load.ts';

export interface CheckProblem {
  file: string;
  line?: number;
  column?: number;
  reason: string;
  kind: 'error' | 'unsupported';
}

export interface CheckReport {
  total: number;
  ok: number;
  problems: CheckProblem[];
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (/\.ya?ml$/i.test(e.name)) out.push(p);
  }
}

export async function checkRules(dir: string): Promise<CheckReport> {
  const files: string[] = [];
  await walk(dir, files);
  const report: CheckReport = { total: 0, ok: 0, problems: [] };
  for (const file of files) {
    const loaded = loadText(await readFile(file, 'utf8'), file);
    const unsupportedDocs = loaded.docs.filter((d) => d.kind === 'correlation').length;
    report.total += loaded.docs.length + loaded.failedDocs;
    report.ok += loaded.docs.length - unsupportedDocs;
    for (const p of loaded.diag.problems) {
      report.problems.push({ file: p.file, ...(p.line !== undefined ? { line: p.line, column: p.column! } : {}), reason: p.reason, kind: p.kind });
    }
  }
  return report;
}
