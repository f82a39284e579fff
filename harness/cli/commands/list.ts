// atomic-lab list: the atomic tests found in an ART-layout folder (CONTRACTS.md `list`).
// A file that does not load (YAML error or a finding of upstream's validator) is reported on
// stderr with path:line:column and the reason, its tests are left out, and the exit code is 2.
import { loadAtomicsDir } from '../../atomics/load.ts';
import type { AtomicTest } from '../../atomics/model.ts';
import type { CommandSpec } from '../spec.ts';

export const listCommand: CommandSpec = {
  name: 'list',
  summary: 'List the atomic tests in atomics/ or any Atomic Red Team folder',
  options: [
    { name: 'atomics', type: 'string', argument: 'DIR', default: 'atomics', description: 'folder in Atomic Red Team layout' },
    { name: 'format', type: 'string', argument: 'FMT', choices: ['json', 'table'], default: 'table', description: 'output format' },
  ],
  async run(args) {
    const dir = String(args.options.atomics ?? 'atomics');
    const result = loadAtomicsDir(dir);
    const tests = result.techniques.flatMap((t) => t.tests);
    if (args.options.format === 'json') {
      for (const t of tests) process.stdout.write(JSON.stringify(listRow(t)) + '\n');
    } else {
      process.stdout.write(table(tests));
    }
    for (const f of result.failures) {
      process.stderr.write(`atomic-lab list: ${f.file}: does not load: ${f.error.describe()}\n`);
      for (const x of f.findings.slice(1)) {
        process.stderr.write(`  ${x.position.file}:${x.position.line}:${x.position.column}: ${x.code}: ${x.message}\n`);
      }
    }
    process.stderr.write(`${tests.length} tests in ${result.techniques.length}/${result.files} files${result.failures.length ? `, ${result.failures.length} files failed to load` : ''}\n`);
    return result.failures.length > 0 ? 2 : 0;
  },
};

export function listRow(t: AtomicTest): Record<string, unknown> {
  return {
    technique: t.technique,
    number: t.number,
    guid: t.guid,
    name: t.name,
    platforms: t.platforms,
    executor: t.executor.name,
    id: t.id,
    kind: t.kind,
    elevation_required: t.executor.elevationRequired,
    file: t.source.file,
  };
}

function table(tests: AtomicTest[]): string {
  const rows = tests.map((t) => [t.id, t.guid ?? '-', t.executor.name, t.platforms.join(','), t.name]);
  const head = ['ID', 'GUID', 'EXECUTOR', 'PLATFORMS', 'NAME'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(r[i]!.length, 40))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd() + '\n';
  return line(head) + rows.map(line).join('');
}
