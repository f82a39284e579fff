// Rule text → SplSource: comments blanked, then macros expanded (Splunk expands macros before it
// parses the search, spl.md §5), keeping the map back to the user's text.
import type { MacroDefinition } from '../types.ts';
import { blankComments } from './comments.ts';
import { expandMacros } from './macros.ts';
import { SPL_ERRORS, SplSource } from './source.ts';

export function preprocess(text: string, file: string, macros: ReadonlyMap<string, MacroDefinition> = new Map()): SplSource {
  const original = new SplSource(file, text, text, new Int32Array(0));
  const error = (code: string, message: string, offset: number) => original.errorAtOriginal(code, message, offset);
  const blanked = blankComments(text, (m, o) => error(SPL_ERRORS.syntax, m, o));
  const expanded = expandMacros(blanked, (i) => i, macros, error);
  const map = Int32Array.from([...expanded.map, text.length]);
  return new SplSource(file, text, expanded.text, map, expanded.spans);
}
