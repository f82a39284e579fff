// `*` wildcards: in search values and terms ("*" matches any run, [WILD]) and in field-name lists
// (table/fields/rename/stats `process_*`). Matching is the iterative two-pointer algorithm, so a
// pattern with many stars never backtracks exponentially.

/**
 * Whole-string wildcard match: `any` stands for any run (possibly empty), `one` (if given) for one
 * character, everything else is literal.
 */
export function wildcardMatch(pattern: string, s: string, any: string, one?: string): boolean {
  let p = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    const pc = pattern[p];
    if (p < pattern.length && pc !== any && (pc === one || pc === s[i])) {
      p++;
      i++;
    } else if (pc === any) {
      star = p++;
      mark = i;
    } else if (star >= 0) {
      p = star + 1;
      i = ++mark;
    } else return false;
  }
  while (pattern[p] === any) p++;
  return p === pattern.length;
}

/** True when s matches the pattern (`*` = any run, possibly empty; everything else literal). */
export function globMatch(pattern: string, s: string): boolean {
  return wildcardMatch(pattern, s, '*');
}

export function hasWildcard(s: string): boolean {
  return s.includes('*');
}

/** The texts the stars of `pattern` stood for in `name`, or null when it does not match. */
export function globCaptures(pattern: string, name: string): string[] | null {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('(.*)')}$`, 's');
  const m = re.exec(name);
  return m ? m.slice(1) : null;
}

/** Fills the stars of `pattern` with captures, in order (extra stars get ""). */
export function globFill(pattern: string, captures: string[]): string {
  let k = 0;
  return pattern.replace(/\*/g, () => captures[k++] ?? '');
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Field names a list of names/patterns selects, in list order (each pattern's matches in the
 * order of `available`). CHOICE (UNSURE in the docs): a bare `*` does not select internal fields
 * whose name starts with `_`; name them explicitly (`_time`, `_raw`) or with `_*`.
 */
export function selectFields(patterns: readonly string[], available: Iterable<string>): string[] {
  const names = [...available];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of patterns) {
    if (!hasWildcard(p)) {
      if (!seen.has(p)) {
        seen.add(p);
        out.push(p);
      }
      continue;
    }
    for (const n of names) {
      if (seen.has(n)) continue;
      if (n.startsWith('_') && !p.startsWith('_')) continue;
      if (globMatch(p, n)) {
        seen.add(n);
        out.push(n);
      }
    }
  }
  return out;
}
