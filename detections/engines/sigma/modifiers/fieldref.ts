// fieldref: compare the field with the value of another field of the same event (spec appendix
// "Specific Modifiers"), combinable with startswith/endswith/contains and neq. Case-insensitive
// like every plain comparison unless `cased`.
import type { Val, ValueTest } from './values.ts';

export function fieldrefTest(v: Val & { t: 'ref' }, cased: boolean): ValueTest {
  const fold = cased ? (s: string) => s : (s: string) => s.toLowerCase();
  return (fv, lookup) => {
    const other = lookup(v.field);
    if (other === 'unsupported') return undefined;
    if (other === null) return false;
    const refs = other.strs.map(fold);
    return fv.strs.some((raw) => {
      const s = fold(raw);
      return refs.some((r) =>
        v.mode === 'eq' ? s === r : v.mode === 'startswith' ? s.startsWith(r) : v.mode === 'endswith' ? s.endsWith(r) : s.includes(r),
      );
    });
  };
}
