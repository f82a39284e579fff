// A capture bundle (executed now or read back for replay) as the input of evaluateTest.
import type { CaptureBundle } from '../capture/bundle.ts';
import type { Provenance } from '../verdicts/results.ts';
import type { EvaluationInput } from './evaluate.ts';

export function bundleInput(bundle: CaptureBundle, provenance: Provenance, source?: string): EvaluationInput {
  return {
    test: bundle.test,
    target: bundle.target,
    provenance,
    ...(source ? { source } : {}),
    marker: bundle.marker,
    status: bundle.status,
    proof: bundle.proof,
    ...(bundle.execution ? { execution: bundle.execution } : {}),
    ...(bundle.error ? { error: bundle.error } : {}),
    signals: bundle.signals,
    events: bundle.events,
  };
}
