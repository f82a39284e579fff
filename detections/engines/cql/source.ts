// Query text positions and the error type of the CQL engine.
import { RuleError, type SourcePosition } from '../../../harness/core/errors.ts';

export class QuerySource {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  slice(span: { start: number; end: number }): string {
    return this.text.slice(span.start, span.end);
  }
}

/** One compile problem: LogScale-style reason at an offset of the query. */
export interface Diagnostic {
  code: string;
  message: string;
  offset: number;
}

/**
 * A query LogScale would reject. Carries every problem found (not only the first): the message
 * is the first one's; the others are in `more` (RuleError), so describe() lists them all, one per
 * line, each with its line:column.
 * LogScale's exact wording is not published for these cases (cql.md §3, §4: "error text UNSURE"),
 * so the reasons paraphrase the documented rule that is broken.
 */
export class CqlCompileError extends RuleError {
  readonly diagnostics: Array<Diagnostic & { position: SourcePosition }>;

  constructor(source: QuerySource, diagnostics: Diagnostic[]) {
    const sorted = [...diagnostics].sort((a, b) => a.offset - b.offset);
    const withPos = sorted.map((d) => ({ ...d, position: source.position(d.offset) }));
    const first = withPos[0]!;
    // the others travel in RuleError.more, so describe() lists every one with its line:column
    const more = withPos.slice(1).map((d) => new RuleError(d.code, d.message, d.position));
    super(first.code, first.message, first.position, { more });
    this.diagnostics = withPos;
  }
}
