import { describe, expect, it } from 'vitest';
import { matchGlob } from '../../../harness/core/glob.ts';

describe('matchGlob', () => {
  it('* stays within one path segment', () => {
    expect(matchGlob('detections/spl/*.spl', 'detections/spl/a.spl')).toBe(true);
    expect(matchGlob('detections/*.spl', 'detections/spl/a.spl')).toBe(false);
  });
  it('** crosses segments, also zero of them', () => {
    expect(matchGlob('detections/**/*.yml', 'detections/sigma/x/a.yml')).toBe(true);
    expect(matchGlob('detections/**/*.yml', 'detections/a.yml')).toBe(true);
  });
  it('? is one character and dots are literal', () => {
    expect(matchGlob('a?.spl', 'ab.spl')).toBe(true);
    expect(matchGlob('a.spl', 'aXspl')).toBe(false);
  });
  it('ignores a leading ./ and backslashes', () => {
    expect(matchGlob('./detections/spl/*', 'detections\\spl\\x.spl')).toBe(true);
  });
});
