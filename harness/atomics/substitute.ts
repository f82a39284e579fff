// `#{arg}` substitution, as Invoke-AtomicRedTeam's Replace-InputArgs does it, with two fixes:
//
// 1. Defaults are substituted repeatedly until the text stops changing, so a default that names
//    another argument (T1055.011's `exe_binary` contains `#{arch}`) is fully resolved whatever the
//    order (reference/atomics.md §2.2). A cycle is an input error naming the arguments.
// 2. Values supplied by the caller (the harness's run marker and callback URL, user input) are
//    quoted for the executor's shell at the place they land (quoting.ts) and inserted last, in one
//    pass, so their text is data: never re-scanned for placeholders or PathToAtomicsFolder.
//
// Defaults are inserted verbatim: atomic authors write them as code for the executor
// (`$env:TEMP\x`, `%TEMP%`, `~/x`), exactly like Invoke-AtomicRedTeam.
// `$PathToAtomicsFolder`, then the bare word `PathToAtomicsFolder`, become the atomics folder
// (Invoke-AtomicRedTeam: Replace-InputArgs.ps1), after the defaults are resolved.
import { InputError } from '../core/errors.ts';
import type { AtomicTest, ExecutorName } from './model.ts';
import { quoteContextAt, quoteValue } from './quoting.ts';
import { PLACEHOLDER } from './validate.ts';

export interface SubstituteOptions {
  /** the shell that will read the text (decides how overrides are quoted) */
  shell: ExecutorName;
  /** what PathToAtomicsFolder becomes for this target (e.g. C:\AtomicRedTeam\atomics under Wine) */
  atomicsFolder: string;
  /** caller-supplied values by argument name; names the test does not declare are ignored */
  overrides?: Readonly<Record<string, string>>;
}

export interface Substituted {
  text: string;
  /** placeholders still present: names the test does not declare */
  unresolved: string[];
}

const MAX_ROUNDS = 32;

export function defaultText(value: string | number | null): string {
  return value === null ? '' : String(value);
}

export function substitute(template: string, test: Pick<AtomicTest, 'inputArguments' | 'id'>, options: SubstituteOptions): Substituted {
  const overrides = options.overrides ?? {};
  const defaults = new Map<string, string>();
  for (const a of test.inputArguments) if (!(a.name in overrides)) defaults.set(a.name, defaultText(a.default));

  let text = template;
  for (let round = 0; ; round++) {
    const next = text.replace(PLACEHOLDER, (whole, name: string) => defaults.get(name) ?? whole);
    if (next === text) break;
    if (round === MAX_ROUNDS) {
      const left = [...new Set([...next.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => defaults.has(n)))];
      throw new InputError('E_ARG_CYCLE', `${test.id}: argument defaults refer to each other in a cycle: ${left.join(', ')}`);
    }
    text = next;
  }
  text = text.replace(/\$PathToAtomicsFolder/g, () => options.atomicsFolder).replace(/PathToAtomicsFolder/g, () => options.atomicsFolder);

  const unresolved = new Set<string>();
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    const at = m.index!;
    out += text.slice(last, at);
    if (name in overrides && test.inputArguments.some((a) => a.name === name)) {
      out += quoteValue(overrides[name]!, quoteContextAt(text, at, options.shell), options.shell, name, text[at + m[0].length] ?? '');
    } else {
      out += m[0];
      unresolved.add(name);
    }
    last = at + m[0].length;
  }
  out += text.slice(last);
  return { text: out, unresolved: [...unresolved] };
}
