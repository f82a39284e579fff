// The SigmaHQ corpus (1,393 rules under ../shared/external/sigma/rules/) as the parser and
// compiler compatibility suite: at least 99 % compile, every failure with a precise reason.
import { describe, expect, it } from 'vitest';
import { checkRules } from '../../../../detections/engines/sigma/index.ts';
import { external } from '../../../support/corpus.ts';

describe('SigmaHQ rules corpus', () => {
  it('loads and compiles the 1,393 rules', async () => {
    const r = await checkRules(external('sigma/rules'));
    console.log(`Sigma corpus: ${r.ok}/${r.total} SigmaHQ rules compiled`);
    for (const p of r.problems) console.log(`  ${p.kind}: ${p.file}:${p.line ?? '?'}:${p.column ?? '?'}: ${p.reason}`);
    expect(r.total).toBe(1393);
    expect(r.ok / r.total).toBeGreaterThanOrEqual(0.99);
    for (const p of r.problems) {
      expect(p.line).toBeGreaterThan(0);
      expect(p.reason.length).toBeGreaterThan(10);
    }
  });
});
