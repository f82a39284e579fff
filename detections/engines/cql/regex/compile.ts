// A compiled LogScale regex that cannot hang a run.
//
// Each pattern is emitted twice with the same meaning (emit.ts): for V8's backtracking engine, which
// is fast on short inputs, and for RE2 (npm `re2`), which runs in linear time. V8 is used only when
// the pattern's worst case is bounded for the input at hand: no repetition of something that
// itself repeats or alternates, at most one unbounded repetition, a product of bounded repetition
// counts of at most 10,000, and — with an unbounded repetition — an input of at most 4,096
// characters. Everything else runs on RE2. Lookahead exists only in V8, so a lookahead pattern
// whose worst case is not bounded is rejected (an engine limit of this lab, said so in the error).
import RE2 from 're2';
import type { RxFlags } from './ast.ts';
import { anchorMode, cost, emit, foldsEverywhere } from './emit.ts';
import { parseRegex, RegexSyntaxError, type RegexEngineVersion } from './parse.ts';

export { RegexSyntaxError };
export type { RegexEngineVersion };

const PRODUCT_LIMIT = 10_000;
const UNBOUNDED_INPUT_LIMIT = 4_096;
const RE2_MAX_REPEAT = 1000;

export interface LsRegexOptions {
  /** LogScale flag letters: i m d F g (cql.md §1.3, [FLAGS]) */
  flags: string;
  /** engine when F is absent: v2 is the default from LogScale 1.227 ([RX2]) */
  defaultEngine: RegexEngineVersion;
}

export interface RegexMatch {
  index: number;
  end: number;
  /** capture groups by name (named groups) or by number (unnamed), only those that took part */
  groups: Array<[string, string]>;
}

export class LsRegex {
  readonly source: string;
  readonly flags: string;
  readonly engine: RegexEngineVersion;
  readonly global: boolean;
  /** named capture groups in pattern order */
  readonly names: string[];
  private readonly js: RegExp | null;
  private readonly re2: RegExp | null;
  /** the same patterns with the g flag, for exec from a position */
  private readonly jsG: RegExp | null;
  private readonly re2G: RegExp | null;
  private readonly jsAlways: boolean;
  private readonly groupNames: Array<string | undefined>;

  constructor(pattern: string, options: LsRegexOptions) {
    this.source = pattern;
    this.flags = options.flags;
    for (const [i, f] of [...options.flags].entries()) {
      if (!'imdFg'.includes(f)) {
        throw new RegexSyntaxError(`unknown regex flag '${f}' (LogScale flags are i, m, d, F, g)`, -1 - i);
      }
    }
    const fl: RxFlags = { i: options.flags.includes('i'), m: options.flags.includes('m'), d: options.flags.includes('d') };
    this.engine = options.flags.includes('F') ? 'v2' : options.defaultEngine;
    this.global = options.flags.includes('g');
    const parsed = parseRegex(pattern, fl, this.engine);
    this.groupNames = [];
    for (const g of parsed.groups) this.groupNames[g.index] = g.name;
    this.names = parsed.groups.flatMap((g) => (g.name ? [g.name] : []));
    const byFlag = foldsEverywhere(parsed.root);
    const anchors = anchorMode(parsed.root);
    const c = cost(parsed.root);
    const jsSource = emit(parsed.root, { target: 'js', foldByFlag: byFlag, anchors });
    const jsFlags = (byFlag ? 'i' : '') + (anchors === 'm' ? 'm' : '');
    const boundedShape = !c.nested && c.unbounded <= 1 && c.product <= PRODUCT_LIMIT;
    if (parsed.hasLookaround) {
      if (!boundedShape || c.unbounded > 0) {
        throw new RegexSyntaxError(
          'this lab evaluates lookahead only in patterns without unbounded or nested repetition (its guard against runaway backtracking); LogScale itself may accept the pattern',
          0,
        );
      }
      this.js = new RegExp(jsSource, jsFlags);
      this.jsG = new RegExp(jsSource, jsFlags + 'g');
      this.re2 = this.re2G = null;
      this.jsAlways = true;
      return;
    }
    this.js = boundedShape ? new RegExp(jsSource, jsFlags) : null;
    this.jsG = boundedShape ? new RegExp(jsSource, jsFlags + 'g') : null;
    this.jsAlways = boundedShape && c.unbounded === 0;
    let tooBig = false;
    walkRepeats(parsed.root, (max) => {
      if (max !== Infinity && max > RE2_MAX_REPEAT) tooBig = true;
    });
    if (tooBig && !this.jsAlways) {
      throw new RegexSyntaxError(`repetition counts above ${RE2_MAX_REPEAT} are not supported by this lab's linear-time regex engine`, 0);
    }
    const re2Source = this.jsAlways ? null : emit(parsed.root, { target: 're2', foldByFlag: byFlag, anchors });
    this.re2 = re2Source === null ? null : new RE2(re2Source, byFlag ? 'iu' : 'u');
    this.re2G = re2Source === null ? null : new RE2(re2Source, byFlag ? 'iug' : 'ug');
  }

  /** true when V8 may run this input (bounded worst case), false for RE2 */
  private useJs(input: string): boolean {
    return this.jsAlways || (this.js !== null && input.length <= UNBOUNDED_INPUT_LIMIT);
  }

  private pick(input: string): RegExp {
    return this.useJs(input) ? this.js! : this.re2!;
  }

  /** find anywhere in the input (LogScale regexes are unanchored, cql.md §1.3) */
  test(input: string): boolean {
    return this.pick(input).test(input);
  }

  /**
   * Every match replaced by `replacement`, in which $1 and ${name} refer to capture groups
   * (replace(), which replaces all matches).
   */
  replaceAll(input: string, replacement: string): string {
    const re = this.useJs(input) ? this.jsG! : this.re2G!;
    re.lastIndex = 0;
    if (!replacement.includes('$')) return input.replace(re, () => replacement);
    return input.replace(re, (...args: unknown[]) => {
      const groups = args.slice(1, -2) as Array<string | undefined>;
      return replacement.replace(/\$\{([^}]+)\}|\$(\d)/g, (_s, name?: string, num?: string) => {
        const i = num !== undefined ? Number(num) : this.groupNames.indexOf(name);
        return i > 0 ? groups[i - 1] ?? '' : '';
      });
    });
  }

  /** first match, or every match with the g flag (repeat extraction) */
  matches(input: string): RegexMatch[] {
    const re = this.useJs(input) ? this.jsG! : this.re2G!;
    const out: RegexMatch[] = [];
    let from = 0;
    while (from <= input.length) {
      re.lastIndex = from;
      const m = re.exec(input);
      if (!m) break;
      const groups: Array<[string, string]> = [];
      for (let i = 1; i < m.length; i++) {
        const v = m[i];
        if (v === undefined) continue;
        groups.push([this.groupNames[i] ?? String(i), v]);
      }
      out.push({ index: m.index, end: m.index + m[0].length, groups });
      if (!this.global) break;
      from = m[0].length === 0 ? m.index + 1 : m.index + m[0].length;
    }
    return out;
  }
}

function walkRepeats(node: import('./ast.ts').RxNode, f: (max: number) => void): void {
  if (node.type === 'repeat') f(Math.max(node.min, node.max === Infinity ? 0 : node.max));
  if (node.type === 'group' || node.type === 'look' || node.type === 'repeat') walkRepeats(node.body, f);
  if (node.type === 'seq') node.items.forEach((n) => walkRepeats(n, f));
  if (node.type === 'alt') node.branches.forEach((n) => walkRepeats(n, f));
}
