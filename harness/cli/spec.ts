// The declarative shape of every command: its positionals and its option table. Parsing
// (parse.ts), help (help.ts) and the commands themselves only read these tables.

export interface OptionSpec {
  /** long name without dashes, e.g. "report-dir" */
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** option may be given several times; its value is then an array */
  multiple?: boolean;
  /** placeholder shown in help, e.g. FILE */
  argument?: string;
  description: string;
  /** allowed values; anything else is a usage error naming the option */
  choices?: readonly string[];
  default?: string | boolean | string[];
}

export interface PositionalSpec {
  name: string;
  required?: boolean;
  variadic?: boolean;
  description: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  command: string;
  options: OptionValues;
  positionals: string[];
}

export interface CommandSpec {
  name: string;
  summary: string;
  positionals?: readonly PositionalSpec[];
  options: readonly OptionSpec[];
  /** runs the command; returns the process exit code. Throws AtomicLabError for bad input/lab errors */
  run(args: ParsedArgs): Promise<number>;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'verbose', short: 'v', type: 'boolean', description: 'log debug detail to stderr' },
  { name: 'quiet', short: 'q', type: 'boolean', description: 'log only warnings and errors' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show help for the command' },
];
