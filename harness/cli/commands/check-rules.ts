// atomic-lab check-rules: compile every rule under a folder and report those that do not
// (CONTRACTS.md: one line per rule that is not ok, then exactly `N/M rules compiled`).
import { statSync } from 'node:fs';
import path from 'node:path';
import { compileRuleFile, findRuleFiles } from '../../../detections/rules.ts';
import { InputError, RuleError, formatPosition, isAtomicLabError } from '../../core/errors.ts';
import { jsonLine } from '../format.ts';
import { str } from '../parse.ts';
import type { CommandSpec } from '../spec.ts';

export interface RuleProblem {
  file: string;
  line?: number;
  column?: number;
  kind: 'error' | 'unsupported';
  code: string;
  reason: string;
  /** further problems of the same rule */
  more: { line?: number; column?: number; reason: string }[];
}

export async function checkRuleFile(file: string): Promise<RuleProblem | null> {
  try {
    await compileRuleFile(file);
    return null;
  } catch (e) {
    if (e instanceof RuleError) {
      const [first, ...rest] = e.all();
      return {
        file,
        ...(first!.position?.line !== undefined ? { line: first!.position.line, column: first!.position.column ?? 1 } : {}),
        kind: /UNSUPPORTED/i.test(first!.code) ? 'unsupported' : 'error',
        code: first!.code,
        reason: first!.message,
        more: rest.map((r) => ({ ...(r.position?.line !== undefined ? { line: r.position.line, column: r.position.column ?? 1 } : {}), reason: r.message })),
      };
    }
    if (isAtomicLabError(e)) return { file, kind: 'error', code: e.code, reason: e.message, more: [] };
    return { file, kind: 'error', code: 'E_INTERNAL', reason: `internal error: ${(e as Error).message}`, more: [] };
  }
}

export const checkRulesCommand: CommandSpec = {
  name: 'check-rules',
  summary: 'Compile every rule under a folder; print the ones that fail and the total',
  positionals: [{ name: 'DIR', required: true, description: 'folder of rules (.spl, .cql, .logscale, .yml, .yaml)' }],
  options: [{ name: 'format', type: 'string', argument: 'FMT', choices: ['json', 'text'], default: 'text', description: 'output format' }],
  async run(args) {
    const dir = args.positionals[0]!;
    let files: string[];
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      files = findRuleFiles(dir);
    } catch (e) {
      throw new InputError('E_READ', `cannot read rule folder: ${(e as Error).message}`, { file: dir });
    }
    const json = str(args, 'format') === 'json';
    let ok = 0;
    for (const file of files) {
      const problem = await checkRuleFile(file);
      if (!problem) {
        ok++;
        continue;
      }
      const rel = path.relative(process.cwd(), file) || file;
      if (json) {
        process.stdout.write(jsonLine({ ...problem, file: rel }));
      } else {
        const where = formatPosition({ file: rel, ...(problem.line !== undefined ? { line: problem.line, column: problem.column } : {}) });
        const more = problem.more.length ? ` (+${problem.more.length} more: ${problem.more.map((m) => `${m.line ?? '?'}:${m.column ?? '?'} ${m.reason}`).join('; ')})` : '';
        process.stdout.write(`${where}: ${problem.kind === 'unsupported' ? 'unsupported: ' : ''}${problem.reason}${more}\n`);
      }
    }
    if (json) process.stdout.write(jsonLine({ compiled: ok, total: files.length, summary: `${ok}/${files.length} rules compiled` }));
    else process.stdout.write(`${ok}/${files.length} rules compiled\n`);
    return ok === files.length ? 0 : 1;
  },
};
