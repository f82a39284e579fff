// The hand-written results.json fixtures of test/fixtures/reports/ (not copies of any external data):
// nightly = an executed run covering every verdict and status, a lab error and a benign scenario;
// replay = a replay of two of its capture bundles plus a recorded file, with one regression.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../support/corpus.ts';
import type { DetectionResult, ResultsFile, TestResult } from '../../../harness/verdicts/results.ts';

export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/reports');

export function fixture(name: 'nightly' | 'replay'): ResultsFile {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.results.json`), 'utf8')) as ResultsFile;
}

/** A minimal valid results file around the given test results. */
export function resultsOf(results: TestResult[]): ResultsFile {
  return { run: { id: 'r1', started: '2026-01-01T00:00:00.000Z', finished: '2026-01-01T00:00:10.000Z', version: '0.1.0', commit: 'abc' }, results };
}

export function testResult(detections: DetectionResult[], extra: Partial<TestResult> = {}): TestResult {
  return {
    test: { technique: 'T1546.016', number: 1, guid: 'g-1', name: 'msi spawns powershell' },
    target: 'wine',
    provenance: 'executed',
    telemetry: { events: 3, signals: [] },
    detections,
    ...extra,
  };
}

export function detection(extra: Partial<DetectionResult> = {}): DetectionResult {
  return { rule: 'detections/sigma/a.yml', language: 'sigma', expected: 'INSTALLER_DOWNLOAD_CRADLE', observed: ['INSTALLER_DOWNLOAD_CRADLE'], verdict: 'PASS', ...extra };
}
