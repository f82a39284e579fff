// Child process for faults.integration.test.ts: runs one fixture test through executeTests and
// exits like the CLI would (130 after SIGINT, 143 after SIGTERM, 3 for another lab error).
// Usage: tsx interrupt-child.ts <atomics-dir> <test-id> <report-dir> <work-root> [timeout-ms]
import { loadAtomicsStrict } from '../../../harness/atomics/load.ts';
import { selectTests } from '../../../harness/atomics/select.ts';
import { executeTests, InterruptedError } from '../../../harness/run/execute.ts';

const [dir, id, reportDir, workRoot, timeout] = process.argv.slice(2);
try {
  const tests = selectTests(loadAtomicsStrict(dir!), [id!]);
  await executeTests(tests, { reportDir: reportDir!, workRoot: workRoot!, timeoutMs: Number(timeout ?? 120_000) });
  process.exit(0);
} catch (e) {
  process.stderr.write(`child: ${(e as Error).message}\n`);
  process.exit(e instanceof InterruptedError ? (e.signal === 'SIGINT' ? 130 : 143) : 3);
}
