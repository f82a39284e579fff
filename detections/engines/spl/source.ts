// The rule text the parsers read: comments blanked and macros expanded, with every character
// mapped back to its place in the file the user wrote (a character that came from a macro maps to
// the macro call), so that every node and error carries the user's line:column.
import { RuleError, type SourcePosition } from '../../../harness/core/errors.ts';

/** Stable error codes of the SPL engine (all RuleError, exit 2). */
export const SPL_ERRORS = {
  syntax: 'E_SPL_SYNTAX',
  unknownCommand: 'E_SPL_UNKNOWN_COMMAND',
  unknownFunction: 'E_SPL_UNKNOWN_FUNCTION',
  undefinedMacro: 'E_SPL_UNDEFINED_MACRO',
  macro: 'E_SPL_MACRO',
  regexUnsupported: 'E_SPL_REGEX_UNSUPPORTED',
  regexSyntax: 'E_SPL_REGEX_SYNTAX',
  typecheck: 'E_SPL_TYPECHECK',
  arguments: 'E_SPL_ARGUMENTS',
  unsupported: 'E_SPL_UNSUPPORTED',
  setting: 'E_SPL_SETTING',
} as const;

/** A macro expansion inside the expanded text (for lints and explain). */
export interface MacroSpan {
  name: string;
  /** start and end offsets in the expanded text */
  start: number;
  end: number;
  /** offset of the call's opening backtick in the original text */
  callOffset: number;
}

export class SplSource {
  private lineStarts: number[] | undefined;

  constructor(
    readonly file: string,
    /** the rule as written */
    readonly original: string,
    /** after comment removal and macro expansion */
    readonly text: string,
    /** text offset → original offset (length text.length + 1) */
    readonly map: Int32Array,
    readonly macros: readonly MacroSpan[] = [],
  ) {}

  /** Original offset of an offset in the expanded text. */
  originalOffset(offset: number): number {
    const i = Math.max(0, Math.min(offset, this.map.length - 1));
    return this.map[i] ?? 0;
  }

  /** line:column (1-based) in the original text of an offset in the expanded text. */
  pos(offset: number): SourcePosition {
    return this.posOriginal(this.originalOffset(offset));
  }

  posOriginal(originalOffset: number): SourcePosition {
    const starts = (this.lineStarts ??= computeLineStarts(this.original));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= originalOffset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: originalOffset - starts[lo]! + 1 };
  }

  /** The macro whose expansion holds this offset, if any (outermost). */
  macroAt(offset: number): MacroSpan | undefined {
    return this.macros.find((m) => offset >= m.start && offset < m.end);
  }

  error(code: string, message: string, offset: number): RuleError {
    return new RuleError(code, message, this.pos(offset));
  }

  errorAtOriginal(code: string, message: string, originalOffset: number): RuleError {
    return new RuleError(code, message, this.posOriginal(originalOffset));
  }
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
