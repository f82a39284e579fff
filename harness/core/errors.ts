// Error classes with stable codes. The CLI maps every one of them to an exit code
// (CONTRACTS.md): 2 = bad usage or bad input, 3 = lab error. Anything else is a bug (exit 70).

/** A place in an input file: 1-based line and column, or a byte offset for binary formats. */
export interface SourcePosition {
  file?: string;
  line?: number;
  column?: number;
  /** byte offset, for binary inputs such as EVTX */
  offset?: number;
  /** EVTX record number or similar record identifier */
  record?: number;
}

export function formatPosition(pos: SourcePosition): string {
  let where = pos.file ?? '<input>';
  if (pos.line !== undefined) {
    where += `:${pos.line}`;
    if (pos.column !== undefined) where += `:${pos.column}`;
  }
  const extra: string[] = [];
  if (pos.record !== undefined) extra.push(`record ${pos.record}`);
  if (pos.offset !== undefined) extra.push(`offset ${pos.offset} (0x${pos.offset.toString(16)})`);
  return extra.length ? `${where} (${extra.join(', ')})` : where;
}

export abstract class AtomicLabError extends Error {
  /** stable machine-readable code, e.g. E_USAGE, E_INPUT_XML */
  abstract readonly code: string;
  /** process exit code the CLI uses for this error */
  abstract readonly exitCode: 2 | 3;
  readonly position: SourcePosition | undefined;

  constructor(message: string, position?: SourcePosition, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.position = position;
  }

  /** One line for people: `file:line:col: message`. */
  describe(): string {
    return this.position ? `${formatPosition(this.position)}: ${this.message}` : this.message;
  }
}

/** Unknown option, missing argument, wrong combination of options. Exit 2. */
export class UsageError extends AtomicLabError {
  readonly code = 'E_USAGE';
  readonly exitCode = 2 as const;
}

/** Unreadable or malformed input file (YAML, XML, EVTX, JSON, auditd, ...). Exit 2. */
export class InputError extends AtomicLabError {
  readonly exitCode = 2 as const;
  constructor(
    readonly code: string,
    message: string,
    position?: SourcePosition,
    options?: { cause?: unknown },
  ) {
    super(message, position, options);
  }
}

/**
 * A rule that does not parse or compile, with the product-style reason. Exit 2. Engines that find
 * several problems in one rule (collect-all-errors mode) throw the first with the others in `more`.
 */
export class RuleError extends AtomicLabError {
  readonly exitCode = 2 as const;
  readonly more: RuleError[];
  constructor(
    readonly code: string,
    message: string,
    position?: SourcePosition,
    options?: { cause?: unknown; more?: RuleError[] },
  ) {
    super(message, position, options);
    this.more = options?.more ?? [];
  }

  /** Every error of the rule, one per line. */
  override describe(): string {
    return [super.describe(), ...this.more.map((e) => e.describe())].join('\n');
  }

  /** This error and the others, flat. */
  all(): RuleError[] {
    return [this, ...this.more];
  }
}

/** A target or sensor could not do its job (VM did not boot, Wine missing, harness timeout). Exit 3. */
export class LabError extends AtomicLabError {
  readonly exitCode = 3 as const;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, undefined, options);
  }
}

/** A feature that is declared in the CLI but not built yet. Fails loudly. Exit 3. */
export class NotImplementedError extends AtomicLabError {
  readonly code = 'E_NOT_IMPLEMENTED';
  readonly exitCode = 3 as const;
  constructor(what: string) {
    super(`not implemented: ${what}`);
  }
}

export function isAtomicLabError(e: unknown): e is AtomicLabError {
  return e instanceof AtomicLabError;
}
