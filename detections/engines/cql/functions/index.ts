// The function registry. Function names are looked up case-insensitively (official queries write
// groupBy and groupby alike; LIKELY). LogScale functions this engine does not implement are named
// so that a rule using them fails with "unsupported feature", not "unknown function".
import * as agg from './aggregates.ts';
import * as flt from './filters.ts';
import type { FunctionSpec } from './spec.ts';
import * as tr from './transforms.ts';

/** eval(field = expression, ...): each named argument assigns (`x := e` is eval(x = e), [FIELDS]) */
export const evalFn: FunctionSpec = { name: 'eval', params: [] };

const ALL: FunctionSpec[] = [
  flt.inFn, flt.regexFn, flt.testFn, flt.dropEventFn, flt.cidrFn, flt.textContainsFn,
  tr.ifFn, tr.lowerFn, tr.upperFn, tr.lengthFn, tr.defaultFn, tr.dropFn, tr.renameFn, tr.selectFn,
  tr.formatFn, tr.concatFn, tr.splitStringFn, tr.replaceFn,
  agg.countFn, agg.minFn, agg.maxFn, agg.sumFn, agg.avgFn, agg.collectFn, agg.groupByFn, agg.sortFn,
  agg.headFn, agg.tailFn, agg.topFn, agg.tableFn, agg.joinFn,
  evalFn,
];

const BY_NAME = new Map(ALL.map((f) => [f.name.toLowerCase(), f]));

/** real LogScale functions left out of this engine */
export const UNSUPPORTED = [
  'ipLocation', 'asn', 'geohash', 'worldMap', 'timeChart', 'bucket', 'parseJson', 'kvParse', 'parseTimestamp',
  'formatTime', 'match', 'lookup', 'selfJoinFilter', 'selfJoin', 'defineTable', 'createEvents', 'readFile',
  'series', 'window', 'session', 'percentile', 'stats', 'fieldstats', 'transpose', 'shannonEntropy',
  'base64Decode', 'urlDecode', 'split', 'sankey', 'hash', 'tokenHash', 'md5', 'sha1', 'sha256', 'now',
  'sample', 'wildcard', 'parseUrl', 'parseCsv', 'parseXml', 'case', 'fieldset', 'rdns', 'shannon',
  'array:contains', 'array:filter', 'array:eval', 'text:startsWith', 'text:endsWith', 'formatDuration',
  'stdDev', 'range', 'linReg', 'neighbor', 'accumulate', 'partition', 'slidingWindow', 'correlate',
].map((n) => n.toLowerCase());

export type Lookup =
  | { kind: 'ok'; spec: FunctionSpec }
  | { kind: 'unsupported' }
  | { kind: 'unknown'; suggestion?: string };

export function lookupFunction(name: string): Lookup {
  const lower = name.toLowerCase();
  const spec = BY_NAME.get(lower);
  if (spec) return { kind: 'ok', spec };
  if (UNSUPPORTED.includes(lower)) return { kind: 'unsupported' };
  const suggestion = ALL.find((f) => distance(f.name.toLowerCase(), lower) <= 2)?.name;
  return suggestion ? { kind: 'unknown', suggestion } : { kind: 'unknown' };
}

export const FUNCTION_NAMES = ALL.map((f) => f.name);

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}
