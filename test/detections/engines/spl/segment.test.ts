// Segmentation with the default breakers of segmenters.conf ([SEGCONF], [SEGOV], spl.md §4).
import { describe, expect, it } from 'vitest';
import { majorSegments, subTerms, tokenize } from '../../../../detections/engines/spl/segment.ts';

describe('segmentation', () => {
  it('major breakers cut segments: space, quotes, brackets, <>, |, ; , and --', () => {
    expect(majorSegments('a b"c"[d]<e>|f;g,h--i')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
  });

  it('percent-encoded major breakers (%20, %2C, ...) cut too, in either case', () => {
    expect(majorSegments('a%20b%2cc')).toEqual(['a', 'b', 'c']);
  });

  it('"the token from the last major breaker to the current minor breaker and from the last minor breaker to the current minor breaker"', () => {
    const t = tokenize('src=192.168.1.1');
    expect([...t.majors]).toEqual(['src=192.168.1.1']);
    expect([...t.all].sort()).toEqual(['1', '168', '192', 'src', 'src=192', 'src=192.168', 'src=192.168.1', 'src=192.168.1.1'].sort());
  });

  it('minor breakers: / : = @ . - $ # % \\ _', () => {
    expect(subTerms('a/b:c=d@e.f-g$h#i%j\\k_l')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);
  });
});
