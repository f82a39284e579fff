// Named switches of the CQL engine (CompileOptions.settings), for the points the LogScale
// documentation leaves open or that changed between releases.
import { RuleError } from '../../../harness/core/errors.ts';
import type { RegexEngineVersion } from './regex/compile.ts';

export interface CqlSettings {
  /**
   * `groupby-missing`: what groupBy() does with an event that lacks one of its group-by fields.
   * groupBy's own page is silent; top() — documented as shorthand for
   * `groupBy([fields], function=count()) | sort(_count)` — says "An event is not counted if fields
   * are not present" (cql.md §5, [TOP], [GROUPBY]). LIKELY, not confirmed: chosen default `drop`;
   * `keep` groups such events under an absent value (the field is then left out of the row).
   */
  groupbyMissing: 'drop' | 'keep';
  /**
   * `regex-engine`: which LogScale regex engine a /…/ without the F flag uses. v2 is the default
   * from LogScale 1.227 ([RX2]); v1 (JitRex) before it, where an inline flag covers only the first
   * branch of an alternation ([RXENG]). Default `v2`.
   */
  regexEngine: RegexEngineVersion;
}

export const DEFAULT_SETTINGS: CqlSettings = { groupbyMissing: 'drop', regexEngine: 'v2' };

const KNOWN: Record<string, { key: keyof CqlSettings; values: readonly string[] }> = {
  'groupby-missing': { key: 'groupbyMissing', values: ['drop', 'keep'] },
  'regex-engine': { key: 'regexEngine', values: ['v1', 'v2'] },
};

/** Reads the settings this engine knows; a bad value is an error naming the allowed ones. */
export function readSettings(raw: Readonly<Record<string, string>> | undefined, file: string): CqlSettings {
  const out: CqlSettings = { ...DEFAULT_SETTINGS };
  for (const [name, value] of Object.entries(raw ?? {})) {
    const known = KNOWN[name];
    if (!known) continue; // settings meant for other engines pass through
    if (!known.values.includes(value)) {
      throw new RuleError('CQL_SETTING', `setting ${name}=${value} is not valid: use one of ${known.values.join(', ')}`, { file });
    }
    (out as unknown as Record<string, string>)[known.key] = value;
  }
  return out;
}

export const SETTING_NAMES = Object.keys(KNOWN);
