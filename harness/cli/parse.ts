// Turns argv into ParsedArgs using a command's option table (node's util.parseArgs, strict).
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.ts';
import { GLOBAL_OPTIONS, type CommandSpec, type OptionSpec, type ParsedArgs } from './spec.ts';

export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const table: readonly OptionSpec[] = [...spec.options, ...GLOBAL_OPTIONS];
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of table) {
    config[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: config, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\. To specify.*$/s, '')} (atomic-lab ${spec.name} --help lists the options)`);
  }
  const options: ParsedArgs['options'] = {};
  for (const o of table) {
    const v = parsed.values[o.name] as string | boolean | string[] | undefined;
    if (v === undefined) {
      if (o.default !== undefined) options[o.name] = o.default;
      continue;
    }
    if (o.choices) {
      for (const one of Array.isArray(v) ? v : [v]) {
        if (typeof one === 'string' && !o.choices.includes(one)) {
          throw new UsageError(`option --${o.name}: '${one}' is not one of ${o.choices.join(', ')}`);
        }
      }
    }
    options[o.name] = v;
  }
  if (options.help) return { command: spec.name, options, positionals: parsed.positionals };

  const pos = spec.positionals ?? [];
  const variadic = pos.some((p) => p.variadic);
  if (!variadic && parsed.positionals.length > pos.length) {
    throw new UsageError(`unexpected argument '${parsed.positionals[pos.length]}' for atomic-lab ${spec.name}`);
  }
  const required = pos.filter((p) => p.required).length;
  if (parsed.positionals.length < required) {
    const missing = pos.filter((p) => p.required)[parsed.positionals.length];
    throw new UsageError(`missing ${missing?.name ?? 'argument'} for atomic-lab ${spec.name}`);
  }
  return { command: spec.name, options, positionals: parsed.positionals };
}

/** Reads an option that the table declares as a single string. */
export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads an option that the table declares as repeatable. */
export function list(args: ParsedArgs, name: string): string[] {
  const v = args.options[name];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}
